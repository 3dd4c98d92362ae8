package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.SshSpec;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What can be known before anything is created is checked first (issue 14: the AMI was looked up only after the
 * whole network existed, and a key pair that does not exist failed at RunInstances, leaving a network behind).
 */
@KafkaIntegrationTest
class PreflightIT {

    private static ClusterDefinition withKey(ClusterDefinition definition, String keyName) {
        ClusterSpec spec = definition.spec();
        return new ClusterDefinition(definition.apiVersion(), definition.kind(), definition.metadata(),
                new ClusterSpec(spec.region(), spec.networking(), spec.nodes(), spec.k0s(), new SshSpec(keyName),
                        spec.addons(), spec.deletionProtection()));
    }

    @Test
    void aKeyPairTheRegionDoesNotHaveFailsOnceNamingItAndCreatesNothing(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(withKey(Definitions.cluster("mu", false, 1), "absent-key"), 1));

            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.errorCode()).isEqualTo("InvalidKeyPair.NotFound");
            assertThat(failed.reason()).isEqualTo(FailureReason.INVALID_PARAMETER);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).contains("absent-key").contains("spec.ssh.keyName");
            assertThat(h.sdk.describeVpcs().vpcs()).as("nothing left behind").isEmpty();
            assertThat(h.ec2.audit().entries()).noneMatch(e -> e.action().startsWith("Create"));
        }
    }

    @Test
    void anImageThatCannotBeFoundFailsBeforeTheNetworkExists(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                Map.of("k0rdent.provisioner.ami-name-pattern", "no-such-image-*"), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("nu", false, 1), 1));

            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.resource()).startsWith("DescribeImages");
            assertThat(h.sdk.describeVpcs().vpcs()).isEmpty();
            assertThat(h.find(InfrastructureProvisioned.class, e -> true)).isNull();
        }
    }
}
