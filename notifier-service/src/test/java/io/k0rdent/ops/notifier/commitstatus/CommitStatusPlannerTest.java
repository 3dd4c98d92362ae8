package io.k0rdent.ops.notifier.commitstatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.notifier.TestEvents;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommitStatusPlannerTest {

    private final CommitStatusPlanner planner = new CommitStatusPlanner();
    private final EventHeader header = TestEvents.header("dev-01");

    @Test
    void acceptedIsPendingAndCarriesTheRepository() {
        PlannedStatus status = planner.plan(TestEvents.created(header)).orElseThrow();

        assertThat(status.state()).isEqualTo(CommitState.PENDING);
        assertThat(status.cluster()).isEqualTo("dev-01");
        assertThat(status.commit()).isEqualTo(TestEvents.COMMIT);
        assertThat(status.repository()).isEqualTo("https://git.example.com/platform/clusters.git");
        assertThat(status.generation()).isEqualTo(3);
    }

    @Test
    void provisionedIsStillPendingAndNamesNoRepository() {
        PlannedStatus status = planner.plan(TestEvents.provisioned(header)).orElseThrow();

        assertThat(status.state()).isEqualTo(CommitState.PENDING);
        assertThat(status.repository()).isNull();
        assertThat(status.rank()).isGreaterThan(planner.plan(TestEvents.created(header)).orElseThrow().rank());
    }

    @Test
    void readyIsSuccess() {
        PlannedStatus status = planner.plan(TestEvents.ready(header)).orElseThrow();

        assertThat(status.state()).isEqualTo(CommitState.SUCCESS);
        assertThat(status.description()).contains("Ready");
    }

    @Test
    void rejectionAndFailedStagesAreFailures() {
        assertThat(planner.plan(TestEvents.rejected(header)).orElseThrow())
                .satisfies(s -> {
                    assertThat(s.state()).isEqualTo(CommitState.FAILURE);
                    assertThat(s.description()).contains("controllers.count must be odd");
                });
        assertThat(planner.plan(TestEvents.provisioningFailed(header)).orElseThrow())
                .satisfies(s -> {
                    assertThat(s.state()).isEqualTo(CommitState.FAILURE);
                    assertThat(s.description()).contains("insufficient capacity");
                });
        assertThat(planner.plan(TestEvents.bootstrapFailed(header)).orElseThrow())
                .satisfies(s -> {
                    assertThat(s.state()).isEqualTo(CommitState.FAILURE);
                    assertThat(s.description()).contains("JOIN_WORKERS");
                });
    }

    @Test
    void deletionIsPendingUntilTheInfrastructureIsGoneThenSuccess() {
        var deleted = new ClusterDefinitionDeleted(header, TestEvents.git(), null);
        var destroyed = new InfrastructureDestroyed(header, "us-east-1", List.of("vpc-1"));

        assertThat(planner.plan(deleted).orElseThrow().state()).isEqualTo(CommitState.PENDING);
        PlannedStatus done = planner.plan(destroyed).orElseThrow();
        assertThat(done.state()).isEqualTo(CommitState.SUCCESS);
        assertThat(done.description()).containsIgnoringCase("deleted");
    }

    @Test
    void aRejectedFileWithoutAClusterNameUsesItsPath() {
        var fileHeader = new EventHeader(UUID.randomUUID(), "clusters/broken.yaml", 0, TestEvents.COMMIT, null,
                TestEvents.T0, Map.of(), null);

        PlannedStatus status = planner.plan(TestEvents.rejected(fileHeader)).orElseThrow();

        assertThat(status.cluster()).isEqualTo("clusters/broken.yaml");
        assertThat(status.state()).isEqualTo(CommitState.FAILURE);
    }

    @Test
    void eventsThatChangeNothingForThePusherAndEventsWithoutACommitAskForNone() {
        var noCommit = new EventHeader(UUID.randomUUID(), "dev-01", 3, null, null, TestEvents.T0, Map.of(), null);

        assertThat(planner.plan(TestEvents.ready(noCommit))).isEmpty();
        assertThat(planner.plan(new DriftDetected(header, DriftDetected.DriftKind.INSTANCE_MISSING, "i-1", "gone", "relaunch"))).isEmpty();
    }
}
