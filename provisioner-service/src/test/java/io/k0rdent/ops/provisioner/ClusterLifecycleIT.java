package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** Create and delete a 1+3 cluster through Kafka, against the EC2 emulator over the real SDK. */
@KafkaIntegrationTest
class ClusterLifecycleIT {

    private static final Filter CLUSTER = Filter.builder().name("tag:k0rdent.io/cluster").values("alpha").build();

    @Test
    void privateClusterIsCreatedAndDeletedInDependencyOrder(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            ClusterDefinition definition = Definitions.cluster("alpha", false, 3);
            h.sendDefinition(Definitions.created(definition, 1));

            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class,
                    e -> e.header().generation() == 1);
            assertThat(provisioned.header().causationId()).isEqualTo(Definitions.header("alpha", 1).eventId());
            assertThat(provisioned.nodes()).hasSize(4);
            assertThat(provisioned.nodes()).extracting(ProvisionedNode::role)
                    .containsExactly(NodeRole.CONTROLLER, NodeRole.WORKER, NodeRole.WORKER, NodeRole.WORKER);
            assertThat(provisioned.nodes()).extracting(ProvisionedNode::slot).containsExactly(0, 0, 1, 2);
            assertThat(provisioned.nodes()).allSatisfy(node -> {
                assertThat(node.privateAddress()).startsWith("10.20.");
                assertThat(node.publicAddress()).isNull();
                assertThat(node.ssh().host()).isEqualTo(node.privateAddress());
                assertThat(node.ssh().port()).isEqualTo(22);
            });
            assertThat(provisioned.nodes().stream().map(ProvisionedNode::availabilityZone).collect(Collectors.toSet()))
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(provisioned.vpcId()).isNotNull();

            assertThat(h.sdk.describeSubnets(r -> r.filters(CLUSTER)).subnets()).hasSize(3);
            assertThat(h.sdk.describeInternetGateways(r -> r.filters(CLUSTER)).internetGateways()).isEmpty();
            List<SecurityGroup> groups = h.sdk.describeSecurityGroups(r -> r.filters(CLUSTER)).securityGroups();
            assertThat(groups).extracting(SecurityGroup::groupName)
                    .containsExactlyInAnyOrder("alpha-nodes", "alpha-controllers");
            SecurityGroup nodes = groups.stream().filter(g -> g.groupName().equals("alpha-nodes")).findFirst()
                    .orElseThrow();
            assertThat(nodes.ipPermissions()).anySatisfy(p -> {
                assertThat(p.fromPort()).isEqualTo(22);
                assertThat(p.ipRanges()).extracting(r -> r.cidrIp()).containsExactly("192.0.2.0/24");
            });
            assertThat(h.sdk.describeInstances(r -> r.filters(CLUSTER)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).toList()).allSatisfy(i -> {
                        assertThat(i.keyName()).isEqualTo("k0rdent");
                        assertThat(i.tags()).extracting(t -> t.key())
                                .contains("k0rdent.io/cluster", "k0rdent.io/role", "k0rdent.io/generation",
                                        "k0rdent.io/slot");
                    });

            int callsBeforeDelete = h.ec2.audit().size();
            h.sendDefinition(Definitions.deleted(definition, 2));
            InfrastructureDestroyed destroyed = h.await(InfrastructureDestroyed.class, e -> true);
            assertThat(destroyed.removedResources()).contains(provisioned.vpcId())
                    .containsAll(provisioned.nodes().stream().map(ProvisionedNode::instanceId).toList());
            assertThat(h.sdk.describeVpcs(r -> r.filters(CLUSTER)).vpcs()).isEmpty();
            assertThat(h.sdk.describeSubnets(r -> r.filters(CLUSTER)).subnets()).isEmpty();
            assertThat(h.sdk.describeSecurityGroups(r -> r.filters(CLUSTER)).securityGroups()).isEmpty();

            List<String> deletions = h.ec2.audit().entries().subList(callsBeforeDelete, h.ec2.audit().size()).stream()
                    .filter(AuditEntry::succeeded).map(AuditEntry::action)
                    .filter(a -> a.startsWith("Delete") || a.startsWith("Terminate")).distinct().toList();
            assertThat(deletions).containsExactly("TerminateInstances", "DeleteSecurityGroup", "DeleteSubnet",
                    "DeleteVpc");
        }
    }

    @Test
    void publicClusterGetsAnInternetGatewayRoutesAndPublicAddresses(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            ClusterDefinition definition = Definitions.cluster("alpha", true, 3);
            h.sendDefinition(Definitions.created(definition, 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(provisioned.nodes()).hasSize(4).allSatisfy(node -> {
                assertThat(node.publicAddress()).isNotNull();
                assertThat(node.ssh().host()).isEqualTo(node.publicAddress());
            });
            var gateways = h.sdk.describeInternetGateways(r -> r.filters(CLUSTER)).internetGateways();
            assertThat(gateways).hasSize(1);
            assertThat(gateways.get(0).attachments().get(0).vpcId()).isEqualTo(provisioned.vpcId());
            var tables = h.sdk.describeRouteTables(r -> r.filters(CLUSTER)).routeTables();
            assertThat(tables).hasSize(1);
            assertThat(tables.get(0).routes()).anySatisfy(route -> {
                assertThat(route.destinationCidrBlock()).isEqualTo("0.0.0.0/0");
                assertThat(route.gatewayId()).isEqualTo(gateways.get(0).internetGatewayId());
            });
            assertThat(tables.get(0).associations()).hasSize(3);

            int callsBeforeDelete = h.ec2.audit().size();
            h.sendDefinition(Definitions.deleted(definition, 2));
            h.await(InfrastructureDestroyed.class, e -> true);
            List<String> order = h.ec2.audit().entries().subList(callsBeforeDelete, h.ec2.audit().size()).stream()
                    .filter(AuditEntry::succeeded).map(AuditEntry::action)
                    .filter(a -> Set.of("TerminateInstances", "DeleteSecurityGroup", "DeleteRouteTable",
                            "DeleteSubnet", "DetachInternetGateway", "DeleteInternetGateway", "DeleteVpc")
                            .contains(a)).distinct().toList();
            assertThat(order).containsExactly("TerminateInstances", "DeleteSecurityGroup", "DeleteRouteTable",
                    "DeleteSubnet", "DetachInternetGateway", "DeleteInternetGateway", "DeleteVpc");
            assertThat(h.sdk.describeInternetGateways(r -> r.filters(CLUSTER)).internetGateways()).isEmpty();
            assertThat(h.sdk.describeRouteTables(r -> r.filters(CLUSTER)).routeTables()).isEmpty();
        }
    }

    @Test
    void aConfiguredAmiIsUsedAndTheSandboxChoosesSshEndpoints(KafkaTestContext kafka) {
        java.util.concurrent.atomic.AtomicInteger port = new java.util.concurrent.atomic.AtomicInteger(2200);
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withSshEndpointHook(instance -> "127.0.0.1:" + port.incrementAndGet());
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options,
                java.util.Map.of("k0rdent.provisioner.amis.us-east-1", "ami-0a1b2c3d4e5f60001"), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("alpha", false, 1), 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(provisioned.nodes()).extracting(n -> n.ssh().host() + ":" + n.ssh().port())
                    .containsExactlyInAnyOrder("127.0.0.1:2201", "127.0.0.1:2202");
            assertThat(provisioned.nodes()).allSatisfy(n -> assertThat(n.ssh().user()).isEqualTo("ubuntu"));
            assertThat(h.ec2.audit().count("DescribeImages")).isZero();
            assertThat(h.ec2.audit().entries("RunInstances"))
                    .allSatisfy(e -> assertThat(e.params()).containsEntry("ImageId", "ami-0a1b2c3d4e5f60001"));
        }
    }

    @Test
    void manyClustersProceedInParallelAndEachSlotIsLaunchedOnce(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                java.util.Map.of("k0rdent.provisioner.consumer-threads", 3), null)) {
            for (int i = 0; i < 12; i++) {
                h.sendDefinition(Definitions.created(Definitions.cluster("many-" + i, i % 2 == 0, 2), 1));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                    h.events().stream().filter(InfrastructureProvisioned.class::isInstance).count() == 12);
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(36).doesNotHaveDuplicates();
            assertThat(h.sdk.describeVpcs().vpcs()).hasSize(12);
        }
    }
}
