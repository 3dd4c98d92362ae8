package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * A deletion whose last call took effect but whose answer was lost still owes {@code InfrastructureDestroyed}; that
 * debt must outlive the process, since EC2 (everything gone, the deleting tag with it) cannot tell.
 */
@KafkaIntegrationTest
class DeletionOwedAcrossRestartIT {

    private static void driftPass(ProvisionerHarness h) {
        h.app().getBean(EventPublisher.class).publish(h.app().getBean(DriftReconciler.class).reconcileAll());
    }

    @Test
    void aLostDeleteVpcAnswerBeforeARestartStillEndsInExactlyOneInfrastructureDestroyed(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("DeleteVpc", 1, "InternalError", 500).withEffectApplied());
        // One attempt: the SDK's retry would otherwise hear InvalidVpcID.NotFound, which counts as deleted. No
        // automatic retry of the failure either: the restart must come before the next pass.
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options, Map.of(
                "k0rdent.provisioner.max-attempts", 1, "k0rdent.provisioner.failure-retry.enabled", false), null)) {
            ClusterDefinition definition = Definitions.cluster("omega", true, 1);
            h.sendDefinition(Definitions.created(definition, 1));
            h.await(InfrastructureProvisioned.class, e -> true);
            var deletion = h.sendDefinition(Definitions.deleted(definition, 2));
            h.await(ProvisioningFailed.class, e -> e.resource() != null && e.resource().contains("DeleteVpc"));
            h.awaitHandled(deletion);
            Filter cluster = Filter.builder().name("tag:k0rdent.io/cluster").values("omega").build();
            assertThat(h.sdk.describeVpcs(r -> r.filters(cluster)).vpcs()).as("the call took effect").isEmpty();
            assertThat(h.find(InfrastructureDestroyed.class, e -> true)).isNull();

            h.restart(null);
            // Passes as the drift job makes them, every second: right after the start a rebalance may briefly leave
            // the cluster's partition unassigned, and a pass then skips it (ClusterOwnership).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                driftPass(h);
                assertThat(h.events().stream().filter(InfrastructureDestroyed.class::isInstance)).isNotEmpty();
            });
            driftPass(h);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    h.events().stream().filter(InfrastructureDestroyed.class::isInstance)).singleElement()
                    .satisfies(e -> {
                        assertThat(e.header().clusterName()).isEqualTo("omega");
                        assertThat(e.header().generation()).isEqualTo(2);
                    }));

            h.restart(null);
            // A restarted provisioner acts on a cluster only once its partition is assigned again.
            h.awaitGroupSettled();
            driftPass(h);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    h.events().stream().filter(InfrastructureDestroyed.class::isInstance)).as("told once").hasSize(1));
        }
    }
}
