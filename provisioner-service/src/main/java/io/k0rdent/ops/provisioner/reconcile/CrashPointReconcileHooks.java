package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.support.fault.CrashPoint;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * For fault testing only, never set in production: with {@code k0rdent.fault-injection.crash-point=after-launch}
 * ({@link CrashPoints}), the process halts (like {@code kill -9}: no shutdown hooks, no flush, no offset commit) right
 * after the {@code crash-after}-th RunInstances of its life returned and before the event reporting it is produced.
 * That is the window the deterministic ClientToken has to close; the fault suite ({@code deploy/faults}) restarts the
 * service and checks that no node slot is launched twice.
 */
@Singleton
@Replaces(NoReconcileHooks.class)
@Requires(property = CrashPoints.PROPERTY, value = "after-launch")
public class CrashPointReconcileHooks implements ReconcileHooks {

    private final CrashPoints crashPoints;

    public CrashPointReconcileHooks(CrashPoints crashPoints) {
        this.crashPoints = crashPoints;
    }

    @Override
    public void afterLaunch(String cluster, List<String> instanceIds) {
        crashPoints.reach(CrashPoint.AFTER_LAUNCH,
                () -> "after RunInstances for " + cluster + " " + instanceIds + ", before its event");
    }
}
