package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ClusterOwnershipTest {

    @Test
    void aClusterBelongsToTheReplicaThatOwnsItsDefinitionsPartition() {
        ClusterOwnership ownership = new ClusterOwnership();
        ownership.partitionCount(3);
        ownership.assigned(List.of(0, 2));

        List<String> clusters = IntStream.range(0, 30).mapToObj(i -> "c-" + i).toList();
        for (String cluster : clusters) {
            int partition = ClusterOwnership.partitionOf(cluster, 3);
            assertThat(ownership.owns(cluster)).as(cluster).isEqualTo(partition != 1);
        }

        ownership.revoked(List.of(0, 2));
        assertThat(clusters).noneMatch(ownership::owns);
    }

    @Test
    void thePartitionIsTheOneTheProducersDefaultPartitionerChooses() {
        for (int i = 0; i < 200; i++) {
            String cluster = "cluster-" + i;
            assertThat(ClusterOwnership.partitionOf(cluster, 12)).as(cluster).isEqualTo(
                    BuiltInPartitioner.partitionForKey(cluster.getBytes(StandardCharsets.UTF_8), 12));
        }
    }

    @Test
    void oneProcessWithoutAssignmentsOrPartitionCountOwnsEverything() {
        ClusterOwnership untracked = new ClusterOwnership();
        untracked.partitionCount(3);
        assertThat(untracked.owns("any")).isTrue();

        ClusterOwnership countUnknown = new ClusterOwnership();
        countUnknown.assigned(List.of(1));
        assertThat(countUnknown.owns("any")).isTrue();
    }

    @Test
    void aProcessWithListenersOwnsNothingBeforeItsFirstAssignment() {
        ClusterOwnership starting = new ClusterOwnership();
        starting.partitionCount(3);
        starting.awaitAssignments();
        assertThat(starting.owns("any")).isFalse();

        starting.assigned(List.of(ClusterOwnership.partitionOf("any", 3)));
        assertThat(starting.owns("any")).isTrue();
    }
}
