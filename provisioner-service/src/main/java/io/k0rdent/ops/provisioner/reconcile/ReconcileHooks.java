package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import java.util.List;

/**
 * Points in a reconcile where tests can step in, e.g. to simulate a crash right after RunInstances and before the
 * event is produced. Production uses {@link NoReconcileHooks}.
 */
public interface ReconcileHooks {

    /** Called after RunInstances returned for a cluster, before waiting and before any event is produced. */
    default void afterLaunch(String cluster, List<String> instanceIds) {
    }

    /** Called when a definition was applied, before its events are handed back for publishing. */
    default void beforeEvents(String cluster, List<InfrastructureEvent> events) {
    }
}
