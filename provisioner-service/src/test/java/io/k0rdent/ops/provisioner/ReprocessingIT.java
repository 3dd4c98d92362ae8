package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.reconcile.ReconcileHooks;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/** What happens when records come again, come out of order, or are not events at all. */
@KafkaIntegrationTest
class ReprocessingIT {

    /** Simulates a crash right after RunInstances: the first time only, before any event is produced. */
    static final class CrashOnce implements ReconcileHooks {
        final AtomicInteger crashes = new AtomicInteger();

        @Override
        public void afterLaunch(String cluster, List<String> instanceIds) {
            if (crashes.getAndIncrement() == 0) {
                throw new IllegalStateException("simulated crash after RunInstances " + instanceIds);
            }
        }
    }

    @Test
    void aCrashAfterRunInstancesLaunchesNothingTwiceWhenTheRecordIsProcessedAgain(KafkaTestContext kafka) {
        CrashOnce crash = new CrashOnce();
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(), Map.of(), crash)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("gamma", false, 3), 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(crash.crashes.get()).isGreaterThanOrEqualTo(1);
            assertThat(provisioned.nodes()).hasSize(4);

            List<AuditEntry> launches = h.ec2.audit().entries("RunInstances");
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(4)
                    .containsExactlyInAnyOrderElementsOf(provisioned.nodes().stream()
                            .map(ProvisionedNode::instanceId).toList());
            Map<String, Long> launchedPerSlot = launches.stream().filter(e -> !e.createdIds().isEmpty())
                    .collect(Collectors.groupingBy(e -> e.tagSpecValue("instance", "k0rdent.io/role") + "/"
                            + e.tagSpecValue("instance", "k0rdent.io/slot"), Collectors.counting()));
            assertThat(launchedPerSlot).containsOnly(Map.entry("controller/0", 1L), Map.entry("worker/0", 1L),
                    Map.entry("worker/1", 1L), Map.entry("worker/2", 1L));
            assertThat(h.sdk.describeVpcs(r -> r.filters(Filter.builder().name("tag:k0rdent.io/cluster").values("gamma").build()))
                    .vpcs()).hasSize(1);
        }
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterItsAttemptsAndTheNextRecordIsProcessed(KafkaTestContext kafka) {
        ReconcileHooks doomed = new ReconcileHooks() {
            @Override
            public void beforeEvents(String cluster, List<InfrastructureEvent> events) {
                if (cluster.equals("doomed")) {
                    throw new IllegalStateException("cannot ever succeed for " + cluster);
                }
            }
        };
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                Map.of("k0rdent.provisioner.max-record-attempts", 3), doomed)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("doomed", false, 1), 1));
            h.sendDefinition(Definitions.created(Definitions.cluster("lucky", false, 1), 1));
            InfrastructureProvisioned next = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(next.header().clusterName()).isEqualTo("lucky");
            assertThat(h.find(InfrastructureProvisioned.class, e -> e.header().clusterName().equals("doomed")))
                    .isNull();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> !h.deadLetters().isEmpty());
            assertThat(h.deadLetters()).singleElement().satisfies(record -> {
                DeadLetter letter = DeadLetter.from(record.headers()).orElseThrow();
                assertThat(letter.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
                assertThat(record.key()).isEqualTo("doomed");
                assertThat(letter.message()).contains("cannot ever succeed");
                assertThat(letter.exception()).isEqualTo(IllegalStateException.class.getName());
            });
        }
    }

    @Test
    void aProvisionerKilledAfterRunInstancesIsReplacedByOneThatLaunchesNothingTwice(KafkaTestContext kafka)
            throws Exception {
        java.util.concurrent.CountDownLatch launched = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch die = new java.util.concurrent.CountDownLatch(1);
        ReconcileHooks hangThenDie = new ReconcileHooks() {
            @Override
            public void afterLaunch(String cluster, List<String> instanceIds) {
                launched.countDown();
                try {
                    die.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("killed after RunInstances " + instanceIds);
            }
        };
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(), Map.of(),
                hangThenDie)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("lambda", false, 3), 7));
            assertThat(launched.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(4);

            die.countDown();
            h.restart(null);
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(provisioned.header().generation()).isEqualTo(7);
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(4)
                    .containsExactlyInAnyOrderElementsOf(provisioned.nodes().stream()
                            .map(ProvisionedNode::instanceId).toList());

            // The new process knows nothing but the tags: an older generation is still recognised as outdated.
            h.sendDefinition(Definitions.updated(Definitions.cluster("lambda", false, 5), 6));
            h.sendDefinition(Definitions.updated(Definitions.cluster("lambda", false, 3), 8));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 8);
            assertThat(h.events()).noneMatch(e -> e.header().generation() == 6);
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(4);
        }
    }

    @Test
    void anEventForAnOlderGenerationIsSkipped(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(Definitions.cluster("delta", false, 2), 5));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 5);
            int launches = h.ec2.audit().launchedInstanceIds().size();

            h.sendDefinition(Definitions.updated(Definitions.cluster("delta", false, 4), 4));
            h.sendDefinition(Definitions.updated(Definitions.cluster("delta", false, 2), 6));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 6);
            assertThat(h.events()).noneMatch(e -> e.header().generation() == 4);
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(launches);
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            byte[] poison = "not an event".getBytes(StandardCharsets.UTF_8);
            h.sendRaw("epsilon", poison);
            h.sendDefinition(Definitions.created(Definitions.cluster("epsilon", false, 1), 1));
            h.await(InfrastructureProvisioned.class, e -> e.header().clusterName().equals("epsilon"));

            assertThat(h.deadLetters()).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("epsilon");
                assertThat(record.value()).isEqualTo(poison);
                DeadLetter letter = DeadLetter.from(record.headers()).orElseThrow();
                assertThat(letter.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
                assertThat(letter.originalTopic()).isEqualTo(h.definitionsTopic);
                assertThat(letter.message()).contains("NOT_A_CLOUD_EVENT");
            });
        }
    }
}
