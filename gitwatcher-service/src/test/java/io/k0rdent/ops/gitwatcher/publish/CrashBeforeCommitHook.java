package io.k0rdent.ops.gitwatcher.publish;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Stands in for a crash between "events produced" and "watermark stored": every transaction is left
 * open with all its records sent, and never committed. Active in the {@value #ENVIRONMENT} environment only.
 */
@Singleton
@Replaces(NoBeforeCommitHook.class)
@Requires(env = CrashBeforeCommitHook.ENVIRONMENT)
public class CrashBeforeCommitHook implements BeforeCommitHook {

    public static final String ENVIRONMENT = "crash-before-commit";

    /** What the "crash" throws. */
    public static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash before commitTransaction");
        }
    }

    @Override
    public void beforeCommit(String transactionalId, int records) {
        throw new SimulatedCrash();
    }
}
