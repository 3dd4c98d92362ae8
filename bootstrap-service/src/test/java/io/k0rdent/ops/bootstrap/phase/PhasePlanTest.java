package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.BootstrapPhase;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhasePlanTest {

    @Test
    void aFreshRunRunsEveryPhaseInOrder() {
        assertThat(PhasePlan.remaining(Set.of())).isEqualTo(PhasePlan.ORDER);
        assertThat(PhasePlan.ORDER.indexOf(BootstrapPhase.UPGRADE))
                .as("a node must never join controllers older than itself")
                .isLessThan(PhasePlan.ORDER.indexOf(BootstrapPhase.INSTALL_K0S));
        assertThat(PhasePlan.ORDER.indexOf(BootstrapPhase.VERIFY)).isLessThan(PhasePlan.ORDER.indexOf(BootstrapPhase.STORE_KUBECONFIG));
    }

    @Test
    void aRetryResumesAtTheFailedPhaseAndRereadsWhatLaterPhasesNeed() {
        Set<BootstrapPhase> completed = EnumSet.of(BootstrapPhase.CONNECT, BootstrapPhase.GATHER_FACTS,
                BootstrapPhase.VALIDATE_HOSTS, BootstrapPhase.UPGRADE, BootstrapPhase.INSTALL_K0S, BootstrapPhase.CONFIGURE,
                BootstrapPhase.INIT_CONTROLLER, BootstrapPhase.JOIN_CONTROLLERS);

        assertThat(PhasePlan.remaining(completed)).containsExactly(
                BootstrapPhase.CONNECT, BootstrapPhase.GATHER_FACTS, BootstrapPhase.VALIDATE_HOSTS,
                BootstrapPhase.JOIN_WORKERS, BootstrapPhase.FETCH_KUBECONFIG, BootstrapPhase.VERIFY,
                BootstrapPhase.STORE_KUBECONFIG);
    }
}
