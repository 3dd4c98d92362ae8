package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ClusterResumed;
import io.k0rdent.ops.contracts.event.ClusterSuspended;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.ReconcileRequested;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 2: what people ask outside Git. A suspended cluster gets no provisioning, retirement or drift action
 * (Git changes are kept, not applied) across a restart; resuming applies what was queued; a reconcile request
 * re-drives the latest definition and so retries a failure.
 */
@KafkaIntegrationTest
class ControlIT {

    private static EventHeader person(String cluster) {
        return new EventHeader(UUID.randomUUID(), cluster, 0, null, null, Instant.now(), Map.of(),
                new Initiator("Ada Lovelace", "ada@example.com"));
    }

    private static long launched(ProvisionerHarness h) {
        return h.ec2.audit().launchedInstanceIds().size();
    }

    @Test
    void aSuspendedClusterKeepsGitChangesAndDriftUntilItIsResumedEvenAcrossARestart(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            var one = Definitions.cluster("kappa", false, 1);
            h.sendDefinition(Definitions.created(one, 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> true);

            h.awaitHandled(h.sendControl(new ClusterSuspended(person("kappa"), "fixing the CNI by hand")));
            h.restart(null);

            h.awaitHandled(h.sendDefinition(Definitions.updated(Definitions.cluster("kappa", false, 2), 2)));
            String worker = first.nodes().stream().filter(n -> n.role() == NodeRole.WORKER).findFirst()
                    .orElseThrow().instanceId();
            h.sdk.terminateInstances(r -> r.instanceIds(worker));
            h.app().getBean(EventPublisher.class).publish(h.app().getBean(DriftReconciler.class).reconcileAll());

            assertThat(launched(h)).as("nothing launched while suspended").isEqualTo(2);
            assertThat(h.find(InfrastructureProvisioned.class, e -> e.header().generation() == 2)).isNull();
            assertThat(h.find(DriftDetected.class, e -> true)).isNull();

            h.sendControl(new ClusterResumed(person("kappa"), null));
            InfrastructureProvisioned resumed = h.await(InfrastructureProvisioned.class,
                    e -> e.header().generation() == 2);
            assertThat(resumed.nodes()).hasSize(3).noneMatch(n -> n.instanceId().equals(worker));
        }
    }

    @Test
    void reconcileRetriesAFailureAndIsIgnoredWhileSuspended(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("CreateVpc", 1, "VpcLimitExceeded", 400));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("lambda", false, 1), 1));
            h.await(ProvisioningFailed.class, e -> true);

            h.awaitHandled(h.sendControl(new ClusterSuspended(person("lambda"), null)));
            h.awaitHandled(h.sendControl(new ReconcileRequested(person("lambda"), "quota raised")));
            assertThat(h.ec2.audit().count("CreateVpc")).as("ignored while suspended").isEqualTo(1);

            h.awaitHandled(h.sendControl(new ClusterResumed(person("lambda"), null)));
            InfrastructureProvisioned retried = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(retried.header().generation()).isEqualTo(1);
            assertThat(retried.nodes()).hasSize(2);

            // A converged cluster reports again, as a new fact, so the stages after it run again.
            ReconcileRequested again = new ReconcileRequested(person("lambda"), null);
            h.sendControl(again);
            InfrastructureProvisioned reported = h.await(InfrastructureProvisioned.class,
                    e -> !e.header().eventId().equals(retried.header().eventId()));
            assertThat(reported.nodes()).extracting(n -> n.instanceId())
                    .containsExactlyElementsOf(retried.nodes().stream().map(n -> n.instanceId()).toList());
            assertThat(launched(h)).isEqualTo(2);
        }
    }

    @Test
    void aDrainAnsweredWhileSuspendedIsAskedForAgainOnResume(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(Definitions.cluster("mu", false, 2), 1));
            h.await(InfrastructureProvisioned.class, e -> true);
            h.sendDefinition(Definitions.updated(Definitions.cluster("mu", false, 1), 2));
            NodesRetirementRequested retire = h.await(NodesRetirementRequested.class, e -> true);
            String retiring = retire.nodes().get(0).instanceId();

            h.awaitHandled(h.sendControl(new ClusterSuspended(person("mu"), null)));
            h.awaitHandled(h.sendBootstrap(new NodesDrained(retire.header().causing("drained", Instant.now()),
                    java.util.List.of(retiring))));
            h.sendControl(new ClusterResumed(person("mu"), null));

            NodesRetirementRequested askedAgain = h.await(NodesRetirementRequested.class,
                    e -> !e.header().eventId().equals(retire.header().eventId()));
            assertThat(askedAgain.nodes()).extracting(n -> n.instanceId()).containsExactly(retiring);
            assertThat(askedAgain.reason()).isEqualTo(retire.reason());
            assertThat(h.sdk.describeInstances(r -> r.instanceIds(retiring)).reservations().get(0).instances().get(0)
                    .state().nameAsString()).as("not terminated while suspended").isEqualTo("running");

            h.sendBootstrap(new NodesDrained(askedAgain.header().causing("drained", Instant.now()),
                    java.util.List.of(retiring)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !h.sdk.describeInstances(
                    r -> r.instanceIds(retiring)).reservations().get(0).instances().get(0).state().nameAsString()
                    .equals("running"));
        }
    }
}
