package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.event.BootstrapPhase;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhaseGroupsTest {

    // Collaborators are not needed to choose a step: nothing runs here.
    private final PhaseGroups groups = new PhaseGroups(
            new HostDiscovery(null, null, null),
            new K0sUpgrade(null, null, null, null, null, null, null, null),
            new K0sInstallation(null, null),
            new ControllerConfiguration(null, null, null, null, null),
            new ClusterJoining(null, null, null),
            new ClusterVerification(null, null, null, null, null));

    @Test
    void everyPlannedPhaseHasAStep() {
        for (BootstrapPhase phase : PhasePlan.ORDER) {
            assertThat(groups.step(phase)).as(phase.name()).isNotNull();
        }
    }

    @Test
    void phasesOutsideThePlanAreRefused() {
        Set<BootstrapPhase> others = EnumSet.allOf(BootstrapPhase.class);
        PhasePlan.ORDER.forEach(others::remove);
        assertThat(others).isNotEmpty();
        for (BootstrapPhase phase : others) {
            assertThatThrownBy(() -> groups.step(phase)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("not a create phase: " + phase);
        }
    }
}
