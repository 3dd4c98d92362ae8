package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.LocationType;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteState;

/**
 * NAT gateways, Elastic IPs and instance-type offerings as the real SDK sees them, with the rules AWS documents: a
 * gateway is pending before it is available and fails without an internet gateway, it keeps its subnet and the
 * internet gateway in use until it is deleted, an associated address cannot be released, a deleted gateway's routes
 * are blackholes, and a zone that does not offer a type refuses to launch it.
 */
class NatGatewayEmulatorIT {

    private Ec2Emulator emulator;
    private Ec2Client ec2;

    private void start(Ec2EmulatorOptions options) {
        emulator = Ec2Emulator.start(options);
        ec2 = EmulatorClients.ec2(emulator, 1);
    }

    @AfterEach
    void stop() {
        if (ec2 != null) {
            ec2.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private record Network(String vpc, String publicSubnet, String gateway) {
    }

    private Network publicNetwork() {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        return new Network(vpc, subnet, igw);
    }

    private NatGateway describe(String natId) {
        return ec2.describeNatGateways(r -> r.natGatewayIds(natId)).natGateways().get(0);
    }

    private static String code(Throwable e) {
        return ((Ec2Exception) e).awsErrorDetails().errorCode();
    }

    @Test
    void aNatGatewayIsPendingThenAvailableAndHoldsItsAddress() {
        start(Ec2EmulatorOptions.forTests());
        Network network = publicNetwork();
        String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();

        NatGateway created = ec2.createNatGateway(r -> r.subnetId(network.publicSubnet()).allocationId(allocation)
                .clientToken("nat-token-1")).natGateway();

        assertThat(created.state()).isEqualTo(NatGatewayState.PENDING);
        assertThat(describe(created.natGatewayId()).state()).isEqualTo(NatGatewayState.PENDING);
        NatGateway available = describe(created.natGatewayId());
        assertThat(available.state()).isEqualTo(NatGatewayState.AVAILABLE);
        assertThat(available.natGatewayAddresses().get(0).allocationId()).isEqualTo(allocation);
        assertThat(available.natGatewayAddresses().get(0).privateIp()).startsWith("10.1.0.");
        assertThat(ec2.describeAddresses(r -> r.allocationIds(allocation)).addresses().get(0).associationId())
                .isNotNull();
        // The same ClientToken is the same gateway, not a second one.
        assertThat(ec2.createNatGateway(r -> r.subnetId(network.publicSubnet()).allocationId(allocation)
                .clientToken("nat-token-1")).natGateway().natGatewayId()).isEqualTo(created.natGatewayId());
        assertThat(ec2.describeNatGateways(r -> { }).natGateways()).hasSize(1);
        // Its interface is listed, so a caller can name what keeps the subnet busy.
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(f -> f.name("subnet-id")
                .values(network.publicSubnet()))).networkInterfaces())
                .singleElement().satisfies(eni -> assertThat(eni.interfaceTypeAsString()).isEqualTo("nat_gateway"));
    }

    @Test
    void withoutAnInternetGatewayTheNatGatewayFailsWithAReason() {
        start(Ec2EmulatorOptions.forTests());
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.2.0.0/24")).subnet().subnetId();
        String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();

        NatGateway nat = ec2.createNatGateway(r -> r.subnetId(subnet).allocationId(allocation)).natGateway();

        NatGateway seen = describe(nat.natGatewayId());
        assertThat(seen.state()).isEqualTo(NatGatewayState.FAILED);
        assertThat(seen.failureCode()).isEqualTo("Gateway.NotAttached");
        assertThat(seen.failureMessage()).contains(vpc);
        // A failed gateway holds nothing: its subnet can go and its address be released.
        ec2.releaseAddress(r -> r.allocationId(allocation));
        ec2.deleteSubnet(r -> r.subnetId(subnet));
    }

    @Test
    void untilItIsDeletedTheGatewayKeepsItsSubnetAddressAndInternetGatewayInUse() {
        start(Ec2EmulatorOptions.forTests());
        Network network = publicNetwork();
        String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        String nat = ec2.createNatGateway(r -> r.subnetId(network.publicSubnet()).allocationId(allocation))
                .natGateway().natGatewayId();
        String table = ec2.createRouteTable(r -> r.vpcId(network.vpc())).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));

        assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(network.publicSubnet())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        assertThatThrownBy(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(network.gateway())
                .vpcId(network.vpc())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"))
                .hasMessageContaining("mapped public address");
        assertThatThrownBy(() -> ec2.releaseAddress(r -> r.allocationId(allocation)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidIPAddress.InUse"));

        ec2.deleteNatGateway(r -> r.natGatewayId(nat));
        assertThat(describe(nat).state()).isEqualTo(NatGatewayState.DELETING);
        Route route = ec2.describeRouteTables(r -> r.routeTableIds(table)).routeTables().get(0).routes().stream()
                .filter(r -> nat.equals(r.natGatewayId())).findFirst().orElseThrow();
        assertThat(route.state()).isEqualTo(RouteState.BLACKHOLE);
        assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(network.publicSubnet())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        assertThat(describe(nat).state()).isEqualTo(NatGatewayState.DELETED);

        // Deleted: the address is disassociated, not released; everything else can go.
        assertThat(ec2.describeAddresses(r -> r.allocationIds(allocation)).addresses().get(0).associationId())
                .isNull();
        ec2.releaseAddress(r -> r.allocationId(allocation));
        ec2.detachInternetGateway(r -> r.internetGatewayId(network.gateway()).vpcId(network.vpc()));
        ec2.deleteSubnet(r -> r.subnetId(network.publicSubnet()));
    }

    @Test
    void routesNameExactlyOneTargetAndReplaceRouteNeedsARoute() {
        start(Ec2EmulatorOptions.forTests());
        Network network = publicNetwork();
        String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        String nat = ec2.createNatGateway(r -> r.subnetId(network.publicSubnet()).allocationId(allocation))
                .natGateway().natGatewayId();
        String table = ec2.createRouteTable(r -> r.vpcId(network.vpc())).routeTable().routeTableId();

        assertThatThrownBy(() -> ec2.replaceRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0")
                .natGatewayId(nat)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRoute.NotFound"));
        assertThatThrownBy(() -> ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0")
                .natGatewayId("nat-0123456789abcdef0")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidNatGatewayID.NotFound"));
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(network.gateway()));
        ec2.replaceRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));

        assertThat(ec2.describeRouteTables(r -> r.filters(f -> f.name("route.nat-gateway-id").values(nat)))
                .routeTables()).extracting(t -> t.routeTableId()).containsExactly(table);
    }

    @Test
    void describeNatGatewaysPagesWithinItsModelRange() {
        start(Ec2EmulatorOptions.forTests());

        assertThat(ec2.describeNatGateways(r -> r.maxResults(1000)).natGateways()).isEmpty();
        assertThatThrownBy(() -> ec2.describeNatGateways(r -> r.maxResults(1001)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void aZoneThatDoesNotOfferATypeRefusesToLaunchIt() {
        start(Ec2EmulatorOptions.forTests()
                .withOfferings(InstanceTypeOfferings.everywhere().without("us-east-1c", "m6i.large")));
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.3.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.3.0.0/24").availabilityZone("us-east-1c"))
                .subnet().subnetId();

        assertThat(ec2.describeInstanceTypeOfferings(r -> r.locationType(LocationType.AVAILABILITY_ZONE)
                .filters(f -> f.name("instance-type").values("m6i.large"))).instanceTypeOfferings())
                .extracting(o -> o.location()).containsExactly("us-east-1a", "us-east-1b");
        // A Local Zone offers only a few types.
        assertThat(ec2.describeInstanceTypeOfferings(r -> r.locationType(LocationType.AVAILABILITY_ZONE)
                .filters(f -> f.name("location").values("us-east-1-bos-1a"))).instanceTypeOfferings())
                .extracting(o -> o.instanceTypeAsString())
                .containsExactlyInAnyOrderElementsOf(InstanceTypeOfferings.LOCAL_ZONE_TYPES);
        assertThatThrownBy(() -> ec2.runInstances(r -> r.imageId(ImageSpec.defaults().get(0).imageId())
                .instanceType("m6i.large").subnetId(subnet).minCount(1).maxCount(1)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("Unsupported"))
                .hasMessageContaining("us-east-1a, us-east-1b");
    }

    @Test
    void natGatewaysAndAddressesSurviveARestart(@TempDir Path dir) {
        Path file = dir.resolve("ec2.json");
        start(Ec2EmulatorOptions.forTests().withStateFile(file));
        Network network = publicNetwork();
        String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        String nat = ec2.createNatGateway(r -> r.subnetId(network.publicSubnet()).allocationId(allocation)
                .clientToken("restart-token")).natGateway().natGatewayId();
        describe(nat);
        describe(nat);
        stop();

        start(Ec2EmulatorOptions.forTests().withStateFile(file));

        assertThat(describe(nat).state()).isEqualTo(NatGatewayState.AVAILABLE);
        assertThat(ec2.createNatGateway(r -> r.subnetId(network.publicSubnet()).allocationId(allocation)
                .clientToken("restart-token")).natGateway().natGatewayId()).isEqualTo(nat);
        assertThatThrownBy(() -> ec2.releaseAddress(r -> r.allocationId(allocation)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidIPAddress.InUse"));
    }
}
