package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/** An account at AWS's default quotas: the sixth cluster in a region has no VPC to get. */
@KafkaIntegrationTest
class QuotaIT {

    @Test
    void theSixthClusterFailsAsAQuotaNamingItAndLeavesNothingBehind(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            for (int i = 0; i < 5; i++) {
                h.sendDefinition(Definitions.created(Definitions.cluster("q" + i, true, 1), 1));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    h.events().stream().filter(InfrastructureProvisioned.class::isInstance).count() == 5);

            h.sendDefinition(Definitions.created(Definitions.cluster("q5", true, 1), 1));
            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> e.header().clusterName().equals("q5"));
            assertThat(failed.reason()).isEqualTo(FailureReason.QUOTA_EXCEEDED);
            assertThat(failed.errorCode()).isEqualTo("VpcLimitExceeded");
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.retry().nextAt()).as("waiting does not raise a quota").isNull();
            assertThat(h.sdk.describeSubnets(r -> r.filters(Filter.builder().name("tag:k0rdent.io/cluster")
                    .values("q5").build())).subnets()).isEmpty();
            assertThat(h.sdk.describeAddresses(r -> r.filters(Filter.builder().name("tag:k0rdent.io/cluster")
                    .values("q5").build())).addresses()).isEmpty();
        }
    }
}
