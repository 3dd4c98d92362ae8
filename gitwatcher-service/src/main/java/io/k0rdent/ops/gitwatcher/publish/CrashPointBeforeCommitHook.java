package io.k0rdent.ops.gitwatcher.publish;

import io.k0rdent.ops.support.fault.CrashPoint;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * For fault testing only, never set in production: with {@code k0rdent.fault-injection.crash-point=before-commit}
 * ({@link CrashPoints}), the process halts (like {@code kill -9}) on the {@code crash-after}-th transaction, after its
 * events and watermark were sent and before {@code commitTransaction()}. The restarted gitwatcher must fence the open
 * transaction and publish the same events again, once ({@code deploy/faults} checks it from the outside).
 */
@Singleton
@Replaces(NoBeforeCommitHook.class)
@Requires(property = CrashPoints.PROPERTY, value = "before-commit")
public class CrashPointBeforeCommitHook implements BeforeCommitHook {

    private final CrashPoints crashPoints;

    public CrashPointBeforeCommitHook(CrashPoints crashPoints) {
        this.crashPoints = crashPoints;
    }

    @Override
    public void beforeCommit(String transactionalId, int records) {
        crashPoints.reach(CrashPoint.BEFORE_COMMIT,
                () -> "before committing transaction " + transactionalId + " (" + records + " records)");
    }
}
