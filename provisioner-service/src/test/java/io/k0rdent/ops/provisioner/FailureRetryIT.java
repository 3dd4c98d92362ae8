package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 4: a retryable failure is tried again by itself, with backoff, a bounded number of times; the failure
 * event says which attempt it was and when the next one comes. Before, every failure was final until Git changed.
 */
@KafkaIntegrationTest
class FailureRetryIT {

    private static Map<String, Object> fastRetries(int maxAttempts) {
        return Map.of("k0rdent.provisioner.max-attempts", 1, // the SDK does not absorb the injected error
                "k0rdent.provisioner.failure-retry.initial-delay", "200ms",
                "k0rdent.provisioner.failure-retry.max-delay", "1s",
                "k0rdent.provisioner.failure-retry.max-attempts", maxAttempts,
                "k0rdent.provisioner.failure-retry.check-interval", "100ms");
    }

    @Test
    void aRetryableFailureIsRetriedWithoutAnyGitChange(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("RunInstances", 1, "InsufficientInstanceCapacity", 500));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options, fastRetries(10), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("sigma", false, 1), 1));

            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.reason()).isEqualTo(FailureReason.INSUFFICIENT_CAPACITY);
            assertThat(failed.retry().attempt()).isEqualTo(1);
            assertThat(failed.retry().nextAt()).isAfter(failed.header().occurredAt());

            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(provisioned.header().generation()).isEqualTo(1);
            assertThat(provisioned.nodes()).hasSize(2);
        }
    }

    @Test
    void retriesAreBoundedAndAFailureThatCannotPassIsNotRetried(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onPercent("RunInstances", 100, "InsufficientInstanceCapacity", 500))
                .withFault(FaultRule.onNthCall("CreateVpc", 1, "VpcLimitExceeded", 400));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options, fastRetries(2), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("tau", false, 1), 1));
            ProvisioningFailed quota = h.await(ProvisioningFailed.class, e -> e.header().clusterName().equals("tau"));
            assertThat(quota.retryable()).isFalse();
            assertThat(quota.retry().nextAt()).as("a quota does not rise by waiting").isNull();

            h.sendDefinition(Definitions.created(Definitions.cluster("upsilon", false, 1), 1));
            ProvisioningFailed last = h.await(ProvisioningFailed.class,
                    e -> e.header().clusterName().equals("upsilon") && e.retry().attempt() == 3);
            assertThat(last.retry().nextAt()).as("two retries, then a person decides").isNull();
            assertThat(h.events()).filteredOn(ProvisioningFailed.class::isInstance)
                    .map(ProvisioningFailed.class::cast).filteredOn(e -> e.header().clusterName().equals("upsilon"))
                    .extracting(e -> e.retry().attempt()).containsExactly(1, 2, 3);
        }
    }
}
