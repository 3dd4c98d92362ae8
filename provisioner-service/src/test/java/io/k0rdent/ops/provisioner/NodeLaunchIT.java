package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.Nodes;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/** What the definition and the service's settings say about every node's launch. */
@KafkaIntegrationTest
class NodeLaunchIT {

    @Test
    void theDefinitionsRootVolumeSizeAndTheConfiguredInstanceProfileReachEveryNode(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                Map.of("k0rdent.provisioner.instances.instance-profile", "k0s-nodes"), null)) {
            ClusterDefinition d = Definitions.cluster("lambda", false, 1);
            ClusterSpec spec = d.spec();
            ClusterDefinition sized = new ClusterDefinition(d.apiVersion(), d.kind(), d.metadata(), new ClusterSpec(
                    spec.region(), spec.networking(), new Nodes(spec.nodes().controllers(), spec.nodes().workers(),
                    100), spec.k0s(), spec.ssh(), spec.addons(), spec.deletionProtection()));
            h.sendDefinition(Definitions.created(sized, 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);

            provisioned.nodes().forEach(node -> {
                assertThat(h.sdk.describeVolumes(r -> r.filters(Filter.builder().name("attachment.instance-id")
                        .values(node.instanceId()).build())).volumes().get(0).size()).isEqualTo(100);
                assertThat(h.sdk.describeInstances(r -> r.instanceIds(node.instanceId())).reservations().get(0)
                        .instances().get(0).iamInstanceProfile().arn()).endsWith("instance-profile/k0s-nodes");
            });
        }
    }
}
