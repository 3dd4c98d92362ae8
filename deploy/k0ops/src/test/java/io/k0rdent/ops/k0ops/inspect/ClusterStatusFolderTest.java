package io.k0rdent.ops.k0ops.inspect;

import static io.k0rdent.ops.k0ops.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.k0rdent.ops.k0ops.TestEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStatusFolderTest {

    private final ClusterStatusFolder folder = new ClusterStatusFolder();

    @Test
    void clusterMovesThroughItsStages() {
        folder.accept(TestEvents.created("a", 0));
        assertThat(folder.clusters()).singleElement().extracting(ClusterStatus::stage).isEqualTo(Stage.PROVISIONING);

        folder.accept(TestEvents.provisioned("a", 30));
        folder.accept(TestEvents.ready("a", 90));

        ClusterStatus status = folder.clusters().get(0);
        assertThat(status.stage()).isEqualTo(Stage.READY);
        assertThat(status.lastEventType()).isEqualTo("bootstrap.ready");
        assertThat(status.lastEventAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(status.errors()).isZero();
        assertThat(status.lastError()).isNull();
    }

    @Test
    void failuresCountAndKeepTheirSummary() {
        folder.accept(TestEvents.created("b", 0));
        folder.accept(TestEvents.provisioningFailed("b", 10));

        ClusterStatus status = folder.clusters().get(0);
        assertThat(status.stage()).isEqualTo(Stage.PROVISIONING_FAILED);
        assertThat(status.errors()).isEqualTo(1);
        assertThat(status.lastError()).contains("QUOTA_EXCEEDED", "InstanceLimitExceeded");
    }

    @Test
    void rejectedChangeOfARunningClusterLeavesItReadyButCountsTheError() {
        folder.accept(TestEvents.created("c", 0));
        folder.accept(TestEvents.ready("c", 60));
        folder.accept(TestEvents.rejected("c", 1, 120));

        ClusterStatus status = folder.clusters().get(0);
        assertThat(status.stage()).isEqualTo(Stage.READY);
        assertThat(status.errors()).isEqualTo(1);
        assertThat(status.lastError()).contains("must be odd");
    }

    @Test
    void aNewClusterThatIsRejectedIsRejected() {
        folder.accept(TestEvents.rejected("d", 0, 0));

        assertThat(folder.clusters().get(0).stage()).isEqualTo(Stage.REJECTED);
    }

    @Test
    void aNewClusterIsRejectedWhicheverOrderTheRejectionAndItsNotificationAreRead() {
        // Issue 16: after one push of 11 invalid definitions, 6 showed as provisioning: k0ops status read the
        // notification about a rejection (notifications topic) before the rejection (rejections topic).
        ClusterStatusFolder notificationFirst = new ClusterStatusFolder();
        notificationFirst.accept(TestEvents.notified("bad", 2));
        notificationFirst.accept(TestEvents.rejected("bad", 1, 1));
        ClusterStatusFolder rejectionFirst = new ClusterStatusFolder();
        rejectionFirst.accept(TestEvents.rejected("bad", 1, 1));
        rejectionFirst.accept(TestEvents.notified("bad", 2));

        for (ClusterStatusFolder folder : List.of(notificationFirst, rejectionFirst)) {
            ClusterStatus status = folder.clusters().get(0);
            assertThat(status.stage()).isEqualTo(Stage.REJECTED);
            assertThat(status.lastError()).isNotNull();
            assertThat(status.errors()).isEqualTo(1);
        }
    }

    @Test
    void aClusterWhoseEventsAllExpiredIsStillListedFromTheGitwatchersState() {
        folder.accept(TestEvents.created("recent", 1));
        folder.acceptKnown("recent", 1);
        folder.acceptKnown("old", 4);

        assertThat(folder.clusters()).extracting(ClusterStatus::cluster, ClusterStatus::stage, ClusterStatus::generation)
                .containsExactly(tuple("old", Stage.ACCEPTED, 4L), tuple("recent", Stage.PROVISIONING, 1L));
    }

    @Test
    void theStateTopicsLatestRecordPerClusterWinsAndTombstonesRemoveIt() {
        AcceptedClusters state = new AcceptedClusters();
        state.accept(bytes("https://git.example.com/c.git#main"), bytes("{\"commit\":\"abc\",\"highestGeneration\":9}"));
        state.accept(bytes("https://git.example.com/c.git#main#cluster/a"), bytes("{\"name\":\"a\",\"generation\":1}"));
        state.accept(bytes("https://git.example.com/c.git#main#cluster/a"), bytes("{\"name\":\"a\",\"generation\":3}"));
        state.accept(bytes("https://git.example.com/c.git#main#cluster/gone"), bytes("{\"name\":\"gone\",\"generation\":2}"));
        state.accept(bytes("https://git.example.com/c.git#main#cluster/gone"), null);
        state.accept(bytes("https://git.example.com/c.git#main#cluster/junk"), bytes("{not json"));

        assertThat(state.generations()).containsExactly(java.util.Map.entry("a", 3L));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void notificationsDoNotMoveTheStageAndLateArrivalsDoNotGoBackInTime() {
        folder.accept(TestEvents.created("e", 0));
        folder.accept(TestEvents.ready("e", 60));
        folder.accept(TestEvents.notified("e", 61));
        // Read from another topic after the fact: older than what is folded already.
        folder.accept(TestEvents.provisioned("e", 30));

        ClusterStatus status = folder.clusters().get(0);
        assertThat(status.stage()).isEqualTo(Stage.READY);
        assertThat(status.lastEventAt()).isEqualTo(T0.plusSeconds(61));
    }

    @Test
    void aStageChangeReadAfterNewerNotificationsStillMovesTheStage() {
        // How k0ops status reads: the notifications topic can come before the bootstrap topic.
        folder.accept(TestEvents.created("f", 0));
        folder.accept(TestEvents.provisioned("f", 30));
        folder.accept(TestEvents.notified("f", 95));
        folder.accept(TestEvents.ready("f", 90));

        ClusterStatus status = folder.clusters().get(0);
        assertThat(status.stage()).isEqualTo(Stage.READY);
        assertThat(status.lastEventType()).isEqualTo("notification.sent");
        assertThat(status.lastEventAt()).isEqualTo(T0.plusSeconds(95));
    }

    @Test
    void clustersAreSortedByName() {
        folder.accept(TestEvents.created("zeta", 0));
        folder.accept(TestEvents.created("alpha", 0));

        assertThat(folder.clusters()).extracting(ClusterStatus::cluster).containsExactly("alpha", "zeta");
    }

    @Test
    void timelineOrdersByTimeAndMeasuresEachStage() {
        List<Timeline.Entry> entries = Timeline.of(List.of(TestEvents.ready("a", 95), TestEvents.created("a", 0),
                TestEvents.provisioned("a", 35)));

        assertThat(entries).extracting(e -> e.event().type().name())
                .containsExactly("CLUSTER_DEFINITION_CREATED", "INFRASTRUCTURE_PROVISIONED", "CLUSTER_READY");
        assertThat(entries).extracting(Timeline.Entry::sincePrevious)
                .containsExactly(null, Duration.ofSeconds(35), Duration.ofSeconds(60));
        assertThat(Timeline.format(Duration.ofMillis(15))).isEqualTo("15ms");
        assertThat(Timeline.format(Duration.ofMillis(4200))).isEqualTo("4.2s");
        assertThat(Timeline.format(Duration.ofSeconds(185))).isEqualTo("3m05s");
        assertThat(Timeline.format(Duration.ofMinutes(62))).isEqualTo("1h02m");
    }

    @Test
    void theLastErrorOutlivesTheNotificationsAboutItUntilTheNextAcceptedChange() {
        folder.accept(TestEvents.created("f", 0));
        folder.accept(TestEvents.ready("f", 60));
        folder.accept(TestEvents.rejected("f", 1, 120));
        folder.accept(TestEvents.notified("f", 121));

        assertThat(folder.clusters().get(0).lastError()).contains("must be odd");
        assertThat(folder.clusters().get(0).stage()).isEqualTo(Stage.READY);

        folder.accept(TestEvents.created("f", 180));
        assertThat(folder.clusters().get(0).lastError()).isNull();
    }
}
