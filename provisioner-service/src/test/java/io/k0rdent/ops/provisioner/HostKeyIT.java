package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.hosts.CloudInitHostKey;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node boots with a host key the provisioner placed in its user-data, and the event carries that key's
 * fingerprint for the bootstrap service to pin (issue 15: host keys were trusted on first use). A RunInstances whose
 * answer was lost is repeated with byte-identical user-data, so EC2 returns the same instance.
 */
@KafkaIntegrationTest
class HostKeyIT {

    private static String fingerprintInUserData(Ec2Emulator ec2, String instanceId) {
        Ec2Emulator.InstanceSummary instance = ec2.instances().stream()
                .filter(i -> i.instanceId().equals(instanceId)).findFirst().orElseThrow();
        KeyPair key = CloudInitHostKey.from(instance.userData()).orElseThrow();
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key.getPublic());
    }

    @Test
    void eachNodesPinnedFingerprintIsThatOfTheKeyInItsUserData(KafkaTestContext kafka, @TempDir Path dir)
            throws Exception {
        Path seed = Files.write(dir.resolve("host-key-seed"), "0123456789abcdef0123456789abcdef".getBytes());
        // The first RunInstances takes effect but its answer is lost: the retry must not launch a second instance.
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("RunInstances", 1, "InternalError", 500).withEffectApplied());
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options,
                Map.of("k0rdent.provisioner.host-keys.seed-file", seed.toString()), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("mu", false, 2), 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);

            assertThat(provisioned.nodes()).hasSize(3).allSatisfy((ProvisionedNode node) -> {
                assertThat(node.ssh().hostKeyFingerprint()).startsWith("SHA256:")
                        .isEqualTo(fingerprintInUserData(h.ec2, node.instanceId()));
            });
            assertThat(provisioned.nodes()).extracting(n -> n.ssh().hostKeyFingerprint()).doesNotHaveDuplicates();
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(3);
            assertThat(h.ec2.audit().entries("RunInstances")).extracting(e -> e.errorCode())
                    .doesNotContain("IdempotentParameterMismatch");
            assertThat(h.ec2.audit().entries("RunInstances")).allSatisfy(e ->
                    assertThat(e.params().get("UserData")).isNotBlank());
        }
    }

    @Test
    void withoutASeedNodesKeepTheirOwnKeysAndNoFingerprintIsClaimed(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(Definitions.cluster("nu", false, 1), 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);

            assertThat(provisioned.nodes()).allSatisfy(n -> assertThat(n.ssh().hostKeyFingerprint()).isNull());
            assertThat(h.ec2.audit().entries("RunInstances"))
                    .allSatisfy(e -> assertThat(e.params()).doesNotContainKey("UserData"));
        }
    }
}
