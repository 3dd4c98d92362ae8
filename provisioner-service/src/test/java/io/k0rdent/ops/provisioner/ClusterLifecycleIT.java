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
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
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

            // Private nodes subnets in three zones; small public edge subnets for the NAT gateway.
            List<Subnet> subnets = h.sdk.describeSubnets(r -> r.filters(CLUSTER)).subnets();
            assertThat(subnets).hasSize(6);
            Set<String> nodeSubnets = subnets.stream().filter(s -> tag(s.tags(), "k0rdent.io/subnet-role")
                    .equals("nodes")).map(Subnet::subnetId).collect(Collectors.toSet());
            Set<String> edgeSubnets = subnets.stream().filter(s -> tag(s.tags(), "k0rdent.io/subnet-role")
                    .equals("edge")).map(Subnet::subnetId).collect(Collectors.toSet());
            assertThat(nodeSubnets).hasSize(3);
            assertThat(subnets).noneMatch(Subnet::mapPublicIpOnLaunch);
            assertThat(h.sdk.describeInstances(r -> r.filters(CLUSTER)).reservations().stream()
                    .flatMap(r -> r.instances().stream())).allSatisfy(i -> assertThat(nodeSubnets)
                    .contains(i.subnetId()));
            // Egress: one available NAT gateway with its Elastic IP in an edge subnet, and every nodes subnet's
            // default route going to it.
            var gateways = h.sdk.describeInternetGateways(r -> r.filters(CLUSTER)).internetGateways();
            assertThat(gateways).hasSize(1);
            List<NatGateway> nats = h.sdk.describeNatGateways(r -> r.filter(CLUSTER)).natGateways();
            assertThat(nats).singleElement().satisfies(nat -> {
                assertThat(nat.state()).isEqualTo(NatGatewayState.AVAILABLE);
                assertThat(edgeSubnets).contains(nat.subnetId());
            });
            assertThat(h.sdk.describeAddresses(r -> r.filters(CLUSTER)).addresses()).singleElement()
                    .satisfies(a -> assertThat(a.allocationId())
                            .isEqualTo(nats.get(0).natGatewayAddresses().get(0).allocationId()));
            var tables = h.sdk.describeRouteTables(r -> r.filters(CLUSTER)).routeTables();
            assertThat(tables).hasSize(4);
            Set<String> routedToNat = tables.stream()
                    .filter(t -> t.routes().stream().anyMatch(route -> "0.0.0.0/0".equals(route.destinationCidrBlock())
                            && nats.get(0).natGatewayId().equals(route.natGatewayId())))
                    .flatMap(t -> t.associations().stream().map(a -> a.subnetId())).collect(Collectors.toSet());
            assertThat(routedToNat).isEqualTo(nodeSubnets);
            Set<String> routedToInternet = tables.stream()
                    .filter(t -> t.routes().stream().anyMatch(route -> gateways.get(0).internetGatewayId()
                            .equals(route.gatewayId())))
                    .flatMap(t -> t.associations().stream().map(a -> a.subnetId())).collect(Collectors.toSet());
            assertThat(routedToInternet).isEqualTo(edgeSubnets);
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
            assertThat(h.sdk.describeAddresses(r -> r.filters(CLUSTER)).addresses()).isEmpty();
            assertThat(h.sdk.describeNatGateways(r -> r.filter(CLUSTER)).natGateways())
                    .allSatisfy(nat -> assertThat(nat.state()).isEqualTo(NatGatewayState.DELETED));

            List<String> deletions = h.ec2.audit().entries().subList(callsBeforeDelete, h.ec2.audit().size()).stream()
                    .filter(AuditEntry::succeeded).map(AuditEntry::action)
                    .filter(a -> a.startsWith("Delete") || a.startsWith("Terminate") || a.startsWith("Release")
                            || a.startsWith("Detach")).distinct().toList();
            assertThat(deletions).containsExactly("DeleteLoadBalancer", "DeleteTargetGroup", "TerminateInstances",
                    "DeleteNatGateway", "ReleaseAddress",
                    "DeleteSecurityGroup", "DeleteRouteTable", "DeleteSubnet", "DetachInternetGateway",
                    "DeleteInternetGateway", "DeleteVpc");
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

            // Every node: IMDSv2 only, an encrypted gp3 root volume of the configured size on the image's root
            // device, and the cluster's tags on the volume and the network interface too.
            var instances = h.sdk.describeInstances(r -> r.filters(CLUSTER)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).toList();
            assertThat(instances).hasSize(4).allSatisfy(i -> {
                assertThat(i.metadataOptions().httpTokens()).isEqualTo(HttpTokensState.REQUIRED);
                assertThat(i.metadataOptions().httpPutResponseHopLimit()).isEqualTo(1);
                Volume root = h.sdk.describeVolumes(r -> r.filters(Filter.builder().name("attachment.instance-id")
                        .values(i.instanceId()).build())).volumes().get(0);
                assertThat(root.size()).isEqualTo(40);
                assertThat(root.volumeType()).isEqualTo(VolumeType.GP3);
                assertThat(root.encrypted()).isTrue();
                assertThat(root.tags()).extracting(Tag::key).contains("k0rdent.io/cluster", "k0rdent.io/slot");
            });
            assertThat(h.sdk.describeNetworkInterfaces(r -> r.filters(CLUSTER)).networkInterfaces()).hasSize(4);

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
            // The configured AMI is looked up by id (it must exist, and its root device name sizes the root volume),
            // never searched by name.
            assertThat(h.ec2.audit().entries("DescribeImages")).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.params()).containsEntry("ImageId.1", "ami-0a1b2c3d4e5f60001")
                            .doesNotContainKey("Filter.1.Name"));
            assertThat(h.ec2.audit().entries("RunInstances"))
                    .allSatisfy(e -> assertThat(e.params()).containsEntry("ImageId", "ami-0a1b2c3d4e5f60001"));
        }
    }

    @Test
    void manyClustersProceedInParallelAndEachSlotIsLaunchedOnce(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests()
                .withQuotas(io.k0rdent.ops.sandbox.ec2.ServiceQuotas.forClusters(12)),
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

    private static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse("");
    }
}
