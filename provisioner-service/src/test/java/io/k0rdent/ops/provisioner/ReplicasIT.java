package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Two provisioner replicas in one consumer group (issue 18, item 7). A rolling worker replacement goes on only when
 * the replica that receives {@code NodesDrained} knows the cluster's definition; that holds only if the bootstrap
 * topic's partition of a cluster belongs to the same replica as its definitions partition.
 */
@KafkaIntegrationTest
class ReplicasIT {

    private static final String K0S = "1.28.3+k0s.0";
    /** The topics' partition count in the test broker (the harness creates them with three). */
    private static final int PARTITIONS = 3;

    @Test
    void aRollingReplacementFinishesWhicheverReplicaOwnsTheCluster(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            // Both replicas start before any definition exists, so neither learns one from its start-up read.
            h.startReplica();
            List<String> clusters = onePerPartition(3);
            for (String name : clusters) {
                h.sendDefinition(Definitions.created(Definitions.cluster(name, false, 1, 2, "t3.large", K0S), 1));
            }
            for (String name : clusters) {
                h.await(InfrastructureProvisioned.class,
                        e -> e.header().clusterName().equals(name) && e.header().generation() == 1);
            }

            for (String name : clusters) {
                ClusterDefinition bigger = Definitions.cluster(name, false, 1, 2, "m5.xlarge", K0S);
                h.sendDefinition(Definitions.updated(bigger, 2));
            }
            answerRetirementsUntilEveryWorkerIs("m5.xlarge", h, clusters);
        }
    }

    /** Plays the bootstrap service: every retirement asked for is answered once, one worker at a time. */
    private static void answerRetirementsUntilEveryWorkerIs(String type, ProvisionerHarness h, List<String> clusters) {
        Set<NodesRetirementRequested> answered = new HashSet<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (NodesRetirementRequested request : requests(h)) {
                if (answered.add(request)) {
                    h.sendBootstrap(new NodesDrained(request.header().causing("drained", Instant.now()),
                            request.nodes().stream().map(ProvisionedNode::instanceId).toList()));
                }
            }
            for (String name : clusters) {
                assertThat(workers(h, name)).as("running workers of %s", name).containsExactly(type, type);
            }
        });
    }

    @Test
    void aReplicaTakingOverTheClustersOfAStoppedOneContinuesTheirRollingReplacements(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            // The second replica starts before any definition, so its start-up read knows none of them.
            ApplicationContext second = h.startReplica();
            List<String> clusters = onePerPartition(3);
            for (String name : clusters) {
                h.sendDefinition(Definitions.created(Definitions.cluster(name, false, 1, 2, "t3.large", K0S), 1));
            }
            for (String name : clusters) {
                h.await(InfrastructureProvisioned.class,
                        e -> e.header().clusterName().equals(name) && e.header().generation() == 1);
            }
            for (String name : clusters) {
                h.sendDefinition(Definitions.updated(Definitions.cluster(name, false, 1, 2, "m5.xlarge", K0S), 2));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> requests(h).size() == clusters.size());

            // The first replica goes (a rolling update of the Deployment, a crash): the second takes over every
            // partition, including clusters whose definitions only the first one consumed.
            h.app().close();
            await().atMost(Duration.ofMinutes(2)).until(() -> clusters.stream()
                    .allMatch(second.getBean(ClusterOwnership.class)::owns));

            answerRetirementsUntilEveryWorkerIs("m5.xlarge", h, clusters);
        }
    }

    @Test
    void eachClusterIsDriftCheckedAndRepairedByTheOneReplicaThatOwnsIt(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(Definitions.cluster("drifty", false, 2), 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> true);
            // Started after the definition: the second replica learns the cluster from its start-up read, as any
            // replica restarted later does.
            ApplicationContext second = h.startReplica();
            // Ownership differing is not enough: mid-rebalance the first replica has given up every partition while
            // the second, not yet assigned any, still owns everything. Wait for the group to settle.
            await().atMost(Duration.ofMinutes(1)).until(() -> settled(
                    h.app().getBean(ClusterOwnership.class), second.getBean(ClusterOwnership.class)));
            ApplicationContext owner = h.app().getBean(ClusterOwnership.class).owns("drifty") ? h.app() : second;
            ApplicationContext other = owner == second ? h.app() : second;
            String lost = first.nodes().stream().filter(n -> n.role() == NodeRole.WORKER && n.slot() == 1)
                    .map(ProvisionedNode::instanceId).findFirst().orElseThrow();
            int launched = h.ec2.audit().launchedInstanceIds().size();
            h.sdk.terminateInstances(r -> r.instanceIds(lost));
            h.sdk.waiter().waitUntilInstanceTerminated(r -> r.instanceIds(lost),
                    w -> w.backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(
                            Duration.ofMillis(10))));

            // Before, every replica checked every cluster it knew: both would report and repair the same drift.
            assertThat(other.getBean(DriftReconciler.class).reconcileAll()).isEmpty();
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(launched);

            List<InfrastructureEvent> repaired = owner.getBean(DriftReconciler.class).reconcileAll();
            assertThat(repaired).filteredOn(DriftDetected.class::isInstance).singleElement()
                    .satisfies(d -> assertThat(((DriftDetected) d).resourceId()).isEqualTo(lost));
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(launched + 1);
        }
    }

    /** Both replicas hold partitions, none twice, and together all of them: the rebalance has finished. */
    private static boolean settled(ClusterOwnership one, ClusterOwnership two) {
        Set<Integer> a = one.assignedPartitions();
        Set<Integer> b = two.assignedPartitions();
        Set<Integer> both = new HashSet<>(a);
        both.addAll(b);
        return !a.isEmpty() && !b.isEmpty() && both.size() == a.size() + b.size() && both.size() == PARTITIONS;
    }

    private static List<NodesRetirementRequested> requests(ProvisionerHarness h) {
        return h.events().stream().filter(NodesRetirementRequested.class::isInstance)
                .map(NodesRetirementRequested.class::cast).filter(e -> e.header().generation() == 2).toList();
    }

    private static List<String> workers(ProvisionerHarness h, String cluster) {
        return h.sdk.describeInstances(r -> r.filters(
                        Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build(),
                        Filter.builder().name("tag:k0rdent.io/role").values("worker").build(),
                        Filter.builder().name("instance-state-name").values("pending", "running").build()))
                .reservations().stream().flatMap(r -> r.instances().stream())
                .map(Instance::instanceTypeAsString).sorted().toList();
    }

    /** Cluster names whose records land on each of the topics' partitions: Kafka's default partitioner for a key. */
    private static List<String> onePerPartition(int partitions) {
        List<String> names = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        IntStream.range(0, 1000).mapToObj(i -> "r-" + i).forEach(name -> {
            int partition = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (covered.add(partition)) {
                names.add(name);
            }
        });
        return names;
    }
}
