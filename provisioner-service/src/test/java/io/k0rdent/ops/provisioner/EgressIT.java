package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.Networking;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.ec2.InstanceTypeOfferings;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Private clusters reach the internet through a NAT gateway (issue 14: private nodes had no egress and could not
 * download k0s), built and repaired by comparing with what EC2 holds; zones are chosen among those that offer the
 * cluster's instance types.
 */
@KafkaIntegrationTest
class EgressIT {

    private static final Filter CLUSTER = Filter.builder().name("tag:k0rdent.io/cluster").values("eta").build();

    private static List<NatGateway> natGateways(ProvisionerHarness h) {
        return h.sdk.describeNatGateways(r -> r.filter(CLUSTER)).natGateways();
    }

    private static Set<String> defaultRouteTargets(ProvisionerHarness h) {
        return h.sdk.describeRouteTables(r -> r.filters(CLUSTER)).routeTables().stream()
                .filter(t -> !t.associations().isEmpty())
                .flatMap(t -> t.routes().stream())
                .filter(route -> "0.0.0.0/0".equals(route.destinationCidrBlock()) && route.natGatewayId() != null)
                .map(route -> route.natGatewayId() + ":" + route.stateAsString())
                .collect(Collectors.toSet());
    }

    @Test
    void anAddressLeftByAPassThatStoppedIsReusedNotLeaked(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("CreateNatGateway", 1, "InvalidParameterValue", 400)))) {
            ClusterDefinition definition = Definitions.cluster("eta", false, 1);
            h.sendDefinition(Definitions.created(definition, 1));
            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.resource()).startsWith("CreateNatGateway");
            assertThat(h.sdk.describeAddresses(r -> r.filters(CLUSTER)).addresses()).hasSize(1);

            h.sendDefinition(Definitions.updated(definition, 2));
            h.await(InfrastructureProvisioned.class, e -> true);

            assertThat(h.ec2.audit().count("AllocateAddress")).isEqualTo(1);
            assertThat(h.sdk.describeAddresses(r -> r.filters(CLUSTER)).addresses()).singleElement()
                    .satisfies(a -> assertThat(a.associationId()).isNotNull());
            assertThat(natGateways(h)).singleElement()
                    .satisfies(n -> assertThat(n.state()).isEqualTo(NatGatewayState.AVAILABLE));
        }
    }

    @Test
    void aFailedNatGatewayIsReportedWithEc2sReasonAndReplacedOnTheNextPass(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.ec2.faults().failNextNatGateway("InsufficientFreeAddressesInSubnet",
                    "Subnet has insufficient free addresses to create this NAT gateway");
            ClusterDefinition definition = Definitions.cluster("eta", false, 1);
            h.sendDefinition(Definitions.created(definition, 1));

            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);
            assertThat(failed.errorCode()).isEqualTo("InsufficientFreeAddressesInSubnet");
            assertThat(failed.message()).contains("insufficient free addresses");
            assertThat(failed.retryable()).isTrue();
            assertThat(h.find(InfrastructureProvisioned.class, e -> true)).as("no node without egress").isNull();
            assertThat(h.ec2.audit().count("RunInstances")).isZero();

            h.sendDefinition(Definitions.updated(definition, 2));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);

            assertThat(provisioned.nodes()).allSatisfy(n -> assertThat(n.publicAddress()).isNull());
            assertThat(natGateways(h)).extracting(NatGateway::state)
                    .containsExactlyInAnyOrder(NatGatewayState.FAILED, NatGatewayState.AVAILABLE);
            String available = natGateways(h).stream().filter(n -> n.state() == NatGatewayState.AVAILABLE)
                    .findFirst().orElseThrow().natGatewayId();
            assertThat(defaultRouteTargets(h)).containsExactly(available + ":active");
            // The failed gateway held no address: the same one went to its replacement.
            assertThat(h.ec2.audit().count("AllocateAddress")).isEqualTo(1);
        }
    }

    @Test
    void aRouteLeftPointingAtADeletedNatGatewayIsRepaired(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            ClusterDefinition definition = Definitions.cluster("eta", false, 2);
            h.sendDefinition(Definitions.created(definition, 1));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 1);
            String first = natGateways(h).get(0).natGatewayId();

            // Someone deletes the gateway: its routes become blackholes.
            h.sdk.deleteNatGateway(r -> r.natGatewayId(first));
            natGateways(h);
            assertThat(natGateways(h).get(0).state()).isEqualTo(NatGatewayState.DELETED);
            assertThat(defaultRouteTargets(h)).containsExactly(first + ":blackhole");

            h.sendDefinition(Definitions.updated(definition, 2));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 2);

            String second = natGateways(h).stream().filter(n -> n.state() == NatGatewayState.AVAILABLE)
                    .findFirst().orElseThrow().natGatewayId();
            assertThat(second).isNotEqualTo(first);
            assertThat(defaultRouteTargets(h)).containsExactly(second + ":active");
            assertThat(h.ec2.audit().count("ReplaceRoute")).isEqualTo(3);
        }
    }

    private static ClusterDefinition zoneRedundant(ClusterDefinition d, boolean redundant) {
        ClusterSpec spec = d.spec();
        return new ClusterDefinition(d.apiVersion(), d.kind(), d.metadata(), new ClusterSpec(spec.region(),
                new Networking(spec.networking().vpcCidr(), false, redundant), spec.nodes(), spec.k0s(), spec.ssh(),
                spec.addons(), spec.deletionProtection()));
    }

    @Test
    void zoneRedundantEgressGivesEachZoneItsOwnGatewayAndCanBeTurnedOff(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            ClusterDefinition base = Definitions.cluster("eta", false, 3);
            h.sendDefinition(Definitions.created(zoneRedundant(base, true), 1));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 1);

            List<NatGateway> perZone = natGateways(h);
            assertThat(perZone).hasSize(3).allSatisfy(n -> assertThat(n.state()).isEqualTo(NatGatewayState.AVAILABLE));
            // Each zone's nodes go out through the gateway of their own zone.
            Map<String, String> zoneOfSubnet = h.sdk.describeSubnets(r -> r.filters(CLUSTER)).subnets().stream()
                    .collect(Collectors.toMap(Subnet::subnetId, Subnet::availabilityZone));
            Map<String, String> natZone = perZone.stream()
                    .collect(Collectors.toMap(NatGateway::natGatewayId, n -> zoneOfSubnet.get(n.subnetId())));
            h.sdk.describeRouteTables(r -> r.filters(CLUSTER)).routeTables().forEach(table -> table.routes().stream()
                    .filter(route -> route.natGatewayId() != null)
                    .forEach(route -> table.associations().forEach(a -> assertThat(natZone.get(route.natGatewayId()))
                            .isEqualTo(zoneOfSubnet.get(a.subnetId())))));

            h.sendDefinition(Definitions.updated(zoneRedundant(base, false), 2));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 2);
            Set<String> targets = defaultRouteTargets(h);
            assertThat(targets).hasSize(1);
            assertThat(natGateways(h)).filteredOn(n -> n.state() == NatGatewayState.AVAILABLE).hasSize(1);
            assertThat(h.ec2.audit().count("DeleteNatGateway")).isEqualTo(2);

            // Once EC2 has let go of them, the next pass releases the two addresses.
            natGateways(h);
            natGateways(h);
            h.sendDefinition(Definitions.updated(zoneRedundant(base, false), 3));
            h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 3);
            assertThat(h.sdk.describeAddresses(r -> r.filters(CLUSTER)).addresses()).hasSize(1);
        }
    }

    @Test
    void zonesAreChosenAmongThoseOfferingTheClustersInstanceTypes(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests()
                .withOfferings(InstanceTypeOfferings.everywhere().without("us-east-1a", "m6i.large")))) {
            h.sendDefinition(Definitions.created(Definitions.cluster("eta", true, 1, 3, "m6i.large",
                    "1.28.3+k0s.0"), 1));

            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);

            assertThat(provisioned.nodes()).extracting(ProvisionedNode::availabilityZone)
                    .doesNotContain("us-east-1a").contains("us-east-1b", "us-east-1c");
            assertThat(h.ec2.audit().entries("RunInstances")).allSatisfy(e -> assertThat(e.errorCode()).isNull());
        }
    }

    @Test
    void withoutTwoZonesOfferingTheTypeNothingIsCreated(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests()
                .withOfferings(InstanceTypeOfferings.everywhere().without("us-east-1a", "r5.large")
                        .without("us-east-1b", "r5.large")))) {
            h.sendDefinition(Definitions.created(Definitions.cluster("eta", false, 1, 2, "r5.large",
                    "1.28.3+k0s.0"), 1));

            ProvisioningFailed failed = h.await(ProvisioningFailed.class, e -> true);

            assertThat(failed.message()).contains("r5.large").contains("us-east-1c");
            assertThat(failed.retryable()).isFalse();
            assertThat(h.sdk.describeVpcs().vpcs()).isEmpty();
            assertThat(h.ec2.audit().entries()).noneMatch(e -> e.action().startsWith("Create"));
        }
    }
}
