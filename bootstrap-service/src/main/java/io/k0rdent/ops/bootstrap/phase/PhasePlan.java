package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapPhase;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which a bootstrap runs its phases, and which of them a retry runs again.
 *
 * <p>A retry resumes from the phase that failed: phases that changed the nodes and completed are
 * skipped. Phases that only read ({@link #READ_ONLY}) always run again, because later phases need
 * what they learn (sessions, facts, the kubeconfig) and it may have changed in between. Every phase
 * is idempotent as well, so even a run without a checkpoint (after a restart) changes nothing that
 * is already right.
 *
 * <p>{@code UPGRADE} comes before installing and joining new nodes: a node must never join
 * controllers older than itself.
 */
public final class PhasePlan {

    /** Every phase of a create/update, in execution order. */
    public static final List<BootstrapPhase> ORDER = List.of(
            BootstrapPhase.CONNECT,
            BootstrapPhase.GATHER_FACTS,
            BootstrapPhase.VALIDATE_HOSTS,
            BootstrapPhase.UPGRADE,
            BootstrapPhase.INSTALL_K0S,
            BootstrapPhase.CONFIGURE,
            BootstrapPhase.INIT_CONTROLLER,
            BootstrapPhase.JOIN_CONTROLLERS,
            BootstrapPhase.JOIN_WORKERS,
            BootstrapPhase.FETCH_KUBECONFIG,
            BootstrapPhase.VERIFY,
            BootstrapPhase.STORE_KUBECONFIG);

    /** Phases that change nothing on nodes or clusters. */
    public static final Set<BootstrapPhase> READ_ONLY = EnumSet.of(
            BootstrapPhase.CONNECT, BootstrapPhase.GATHER_FACTS, BootstrapPhase.VALIDATE_HOSTS,
            BootstrapPhase.FETCH_KUBECONFIG);

    private PhasePlan() {
    }

    /**
     * @param completed phases an earlier attempt of the same generation completed
     * @return the phases to run now, in order
     */
    public static List<BootstrapPhase> remaining(Set<BootstrapPhase> completed) {
        return ORDER.stream().filter(p -> READ_ONLY.contains(p) || !completed.contains(p)).toList();
    }
}
