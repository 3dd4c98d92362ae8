package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import org.junit.jupiter.api.Test;

/** Throttling, server errors and deletions blocked by dependencies. */
@KafkaIntegrationTest
class FaultToleranceIT {

    @Test
    void aClusterConvergesWhenHalfOfAllCallsAreThrottled(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withFault(FaultRule.throttle(50));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options)) {
            var definition = Definitions.cluster("zeta", true, 3);
            h.sendDefinition(Definitions.created(definition, 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(provisioned.nodes()).hasSize(4);
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(4);

            h.sendDefinition(Definitions.deleted(definition, 2));
            h.await(InfrastructureDestroyed.class, e -> true);
            assertThat(h.find(ProvisioningFailed.class, e -> true)).isNull();
            assertThat(h.ec2.audit().entries().stream().filter(e -> "RequestLimitExceeded".equals(e.errorCode())))
                    .hasSizeGreaterThan(10);
        }
    }

    @Test
    void withEc2sRequestBucketsEnforcedTheClientSideLimiterKeepsClustersConverging(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withThrottling(true);
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options,
                Map.of("k0rdent.provisioner.client-rate-limits", true), null)) {
            for (int i = 0; i < 4; i++) {
                h.sendDefinition(Definitions.created(Definitions.cluster("bucket-" + i, false, 1), 1));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                    h.events().stream().filter(InfrastructureProvisioned.class::isInstance).count() == 4);
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(8).doesNotHaveDuplicates();
            assertThat(h.find(ProvisioningFailed.class, e -> true)).isNull();
        }
    }

    @Test
    void aClientErrorIsNotRetriedAndBecomesAFailureEvent(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("CreateVpc", 1, "VpcLimitExceeded", 400));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("eta", false, 1), 1));
            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.reason()).isEqualTo(FailureReason.QUOTA_EXCEEDED);
            assertThat(failed.errorCode()).isEqualTo("VpcLimitExceeded");
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.resource()).startsWith("CreateVpc");
            assertThat(h.ec2.audit().count("CreateVpc")).isEqualTo(1);
        }
    }

    @Test
    void aDeletionBlockedByADependencyNamesItAndIsResumedLater(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                Map.of("k0rdent.provisioner.remove-orphans", false), null)) {
            var definition = Definitions.cluster("theta", false, 1);
            h.sendDefinition(Definitions.created(definition, 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            // Someone launched an instance of their own into one of the cluster's subnets.
            String subnet = h.sdk.describeSubnets(r -> r.filters(Filter.builder().name("vpc-id").values(provisioned.vpcId()).build()))
                    .subnets().get(1).subnetId();
            String foreign = h.sdk.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.micro")
                    .minCount(1).maxCount(1).subnetId(subnet)).instances().get(0).instanceId();

            h.sendDefinition(Definitions.deleted(definition, 2));
            ProvisioningFailed blocked = h.await(ProvisioningFailed.class, e -> true);
            assertThat(blocked.reason()).isEqualTo(FailureReason.DEPENDENCY_VIOLATION);
            assertThat(blocked.errorCode()).isEqualTo("DependencyViolation");
            assertThat(blocked.resource()).isEqualTo("DeleteSubnet " + subnet);
            // The failure names what blocks it, so an operator knows what to remove.
            assertThat(blocked.message()).contains("still in use by eni-").contains("attached to instance " + foreign);
            assertThat(blocked.retryable()).isTrue();
            assertThat(h.find(InfrastructureDestroyed.class, e -> true)).isNull();

            h.sdk.terminateInstances(r -> r.instanceIds(foreign));
            h.sdk.describeInstances(r -> r.instanceIds(foreign));
            h.app().getBean(EventPublisher.class).publish(h.app().getBean(DriftReconciler.class).reconcileAll());
            InfrastructureDestroyed destroyed = h.await(InfrastructureDestroyed.class, e -> true);
            assertThat(destroyed.removedResources()).contains(subnet, provisioned.vpcId());
            assertThat(h.sdk.describeVpcs(r -> r.vpcIds()).vpcs()).isEmpty();
        }
    }
}
