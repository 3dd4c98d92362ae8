package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An automatic retry waiting when the provisioner stops is made by the process that owns the cluster next (issue 18:
 * what a service is responsible for survives restarts). Before, the retry lived only in the stopped process: the
 * definition's record was committed, so the next one saw nothing to do and the cluster stayed failed until Git
 * changed.
 */
@KafkaIntegrationTest
class RetryAcrossRestartIT {

    @Test
    void aRetryWaitingAtARestartIsMadeAfterIt(KafkaTestContext kafka) {
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("RunInstances", 1, "InsufficientInstanceCapacity", 500));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options, Map.of(
                "k0rdent.provisioner.max-attempts", 1, // the SDK does not absorb the injected error
                // Long enough for the restart to come first.
                "k0rdent.provisioner.failure-retry.initial-delay", "8s",
                "k0rdent.provisioner.failure-retry.max-delay", "8s",
                "k0rdent.provisioner.failure-retry.check-interval", "100ms"), null)) {
            var created = h.sendDefinition(Definitions.created(Definitions.cluster("phi", false, 1), 1));
            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.retry().nextAt()).isNotNull();
            h.awaitHandled(created);
            assertThat(h.find(InfrastructureProvisioned.class, e -> true)).as("not retried before the restart")
                    .isNull();

            h.restart(null);

            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(provisioned.header().generation()).isEqualTo(1);
            assertThat(h.events()).filteredOn(ProvisioningFailed.class::isInstance).hasSize(1);
        }
    }
}
