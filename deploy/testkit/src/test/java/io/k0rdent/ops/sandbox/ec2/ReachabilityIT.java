package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * The twin's network physics (issue 13 item 4), built with the real SDK: a flow is delivered only where AWS would
 * deliver it, by routes, gateways, security groups and load balancers.
 */
class ReachabilityIT {

    private static final String OPERATOR = "198.51.100.7";
    private static final String STRANGER = "203.0.113.99";

    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;
    private String vpc;
    private String igw;
    private String publicSubnet;
    private String privateSubnet;
    private String publicTable;
    private String privateTable;
    private String nodes;
    private String controllers;

    @BeforeEach
    void world() {
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests().withTransitions(Transitions.after(Duration.ZERO)));
        ec2 = EmulatorClients.ec2(emulator, 1);
        elb = EmulatorClients.elbv2(emulator, 1);
        vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        publicSubnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        privateSubnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        publicTable = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(publicTable).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        ec2.associateRouteTable(r -> r.routeTableId(publicTable).subnetId(publicSubnet));
        privateTable = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.associateRouteTable(r -> r.routeTableId(privateTable).subnetId(privateSubnet));
        nodes = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("nodes").description("nodes")).groupId();
        controllers = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("controllers").description("c")).groupId();
    }

    @AfterEach
    void close() {
        ec2.close();
        elb.close();
        emulator.close();
    }

    private Instance launch(String subnet, boolean publicIp, String... groups) {
        String id = ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large").minCount(1)
                .maxCount(1).keyName("k0rdent").networkInterfaces(n -> n.deviceIndex(0).subnetId(subnet)
                        .associatePublicIpAddress(publicIp).groups(groups))).instances().get(0).instanceId();
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private void allowFromGroup(String group, String source, String protocol, int from, int to) {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol(protocol).fromPort(from).toPort(to)
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(source).build()).build()));
    }

    private void allowFromCidr(String group, String cidr, String protocol, int port) {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol(protocol).fromPort(port).toPort(port).ipRanges(IpRange.builder().cidrIp(cidr).build())
                .build()));
    }

    @Test
    void aGroupReferenceAdmitsPrivateAddressesOnlyAsAwsDocuments() {
        Instance controller = launch(publicSubnet, true, nodes, controllers);
        Instance worker = launch(publicSubnet, true, nodes);
        allowFromGroup(controllers, nodes, "tcp", 9443, 9443);

        assertThat(emulator.reach(Flow.fromInstance(worker.instanceId(), controller.privateIpAddress(), "tcp", 9443)))
                .extracting(NetworkVerdict::delivered, NetworkVerdict::via).containsExactly(true, controller.instanceId());
        // The join that k0s would make to the controller's public address leaves through the internet gateway with the
        // worker's public address, which no group reference matches.
        NetworkVerdict viaPublic = emulator.reach(Flow.fromInstance(worker.instanceId(), controller.publicIpAddress(),
                "tcp", 9443));
        assertThat(viaPublic.delivered()).isFalse();
        assertThat(viaPublic.reason()).contains("no security group of " + controller.instanceId())
                .contains("from " + worker.publicIpAddress());
        assertThat(emulator.reach(Flow.fromInstance(worker.instanceId(), controller.privateIpAddress(), "tcp", 2380))
                .delivered()).as("a port no rule opens").isFalse();
    }

    @Test
    void aFlowDropSwitchLosesItsKindOfFlowUntilItIsLiftedOrExpires() {
        Instance controller = launch(publicSubnet, true, nodes, controllers);
        Instance worker = launch(publicSubnet, true, nodes);
        allowFromGroup(controllers, nodes, "tcp", 6443, 9443);
        allowFromCidr(nodes, OPERATOR + "/32", "tcp", 22);
        Flow join = Flow.fromInstance(worker.instanceId(), controller.privateIpAddress(), "tcp", 9443);
        Flow ssh = Flow.fromOperatorNetwork(OPERATOR, worker.privateIpAddress(), "tcp", 22);

        emulator.faults().dropFlows(FlowKind.joinsToControllers(), Duration.ofMinutes(5));
        NetworkVerdict dropped = emulator.reach(join);
        assertThat(dropped.delivered()).isFalse();
        assertThat(dropped.reason()).contains("not delivered: dropped by fault");
        assertThat(emulator.reach(ssh).delivered()).as("another kind of flow").isTrue();
        assertThat(emulator.reach(Flow.fromInstance(worker.instanceId(), controller.privateIpAddress(), "tcp", 6443))
                .delivered()).isFalse();
        assertThat(emulator.faults().flowsDroppedByFault()).isEqualTo(2);

        emulator.faults().restoreFlows();
        assertThat(emulator.reach(join).delivered()).isTrue();

        emulator.faults().dropFlows(FlowKind.operatorSsh(), Duration.ofMillis(300));
        assertThat(emulator.reach(ssh).reason()).contains("dropped by fault");
        assertThat(emulator.reach(join).delivered()).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> emulator.reach(ssh).delivered());
    }

    @Test
    void ipInIpBetweenWorkersNeedsItsOwnRule() {
        Instance a = launch(privateSubnet, false, nodes);
        Instance b = launch(privateSubnet, false, nodes);
        allowFromGroup(nodes, nodes, "tcp", 179, 179);
        assertThat(emulator.reach(Flow.fromInstance(a.instanceId(), b.privateIpAddress(), "4", 0)).delivered()).isFalse();
        assertThat(emulator.reach(Flow.fromInstance(a.instanceId(), b.privateIpAddress(), "tcp", 179)).delivered())
                .isTrue();

        ec2.authorizeSecurityGroupIngress(r -> r.groupId(nodes).ipPermissions(IpPermission.builder().ipProtocol("4")
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(nodes).build()).build()));
        assertThat(emulator.reach(Flow.fromInstance(a.instanceId(), b.privateIpAddress(), "4", 0)).delivered()).isTrue();
    }

    @Test
    void podTrafficNeedsKubeRoutersPeeringItsOverlayBothWaysAndInOneSubnetTheFullOverlay() {
        Instance a = launch(privateSubnet, false, nodes);
        Instance sameSubnet = launch(privateSubnet, false, nodes);
        Instance otherSubnet = launch(publicSubnet, false, nodes);
        assertThat(emulator.podTraffic(a.instanceId(), otherSubnet.instanceId(), false).reason())
                .as("no BGP session").contains("cannot peer (BGP, TCP 179)");

        allowFromGroup(nodes, nodes, "tcp", 179, 179);
        assertThat(emulator.podTraffic(a.instanceId(), otherSubnet.instanceId(), false).reason())
                .as("across subnets kube-router encapsulates, which needs its own rule").contains("IP-in-IP");
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(nodes).ipPermissions(IpPermission.builder().ipProtocol("4")
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(nodes).build()).build()));
        assertThat(emulator.podTraffic(a.instanceId(), otherSubnet.instanceId(), false).delivered()).isTrue();

        NetworkVerdict direct = emulator.podTraffic(a.instanceId(), sameSubnet.instanceId(), false);
        assertThat(direct.delivered()).as("one subnet: pod addresses on the wire").isFalse();
        assertThat(direct.reason()).contains("source/destination check");
        assertThat(emulator.podTraffic(a.instanceId(), sameSubnet.instanceId(), true).delivered())
                .as("overlay-type full encapsulates there too").isTrue();
        assertThat(emulator.podTraffic(a.instanceId(), a.instanceId(), false).delivered()).isTrue();
    }

    @Test
    void privateNodesReachTheInternetOnlyThroughAnAvailableNatGateway() {
        Instance node = launch(privateSubnet, false, nodes);
        Instance bare = launch(publicSubnet, false, nodes);
        NetworkVerdict none = emulator.reach(Flow.toInternet(node.instanceId(), 443));
        assertThat(none.delivered()).isFalse();
        assertThat(none.reason()).contains("no route to 0.0.0.0/0");
        assertThat(emulator.reach(Flow.toInternet(bare.instanceId(), 443)).reason())
                .as("an internet gateway route needs a public address").contains("has no public address");

        String eip = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        String nat = ec2.createNatGateway(r -> r.subnetId(publicSubnet).allocationId(eip)).natGateway().natGatewayId();
        ec2.createRoute(r -> r.routeTableId(privateTable).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));
        NetworkVerdict out = emulator.reach(Flow.toInternet(node.instanceId(), 443));
        assertThat(out.delivered()).isTrue();
        String publicIp = ec2.describeAddresses(r -> r.allocationIds(eip)).addresses().get(0).publicIp();
        assertThat(out.reason()).contains(publicIp);

        // A NAT gateway whose subnet has no way out is no way out either.
        ec2.deleteRoute(r -> r.routeTableId(publicTable).destinationCidrBlock("0.0.0.0/0"));
        assertThat(emulator.reach(Flow.toInternet(node.instanceId(), 443)).delivered()).isFalse();
    }

    @Test
    void fromOutsidePublicAddressesNeedTheGatewayAndARulePrivateOnesAPrivatePath() {
        Instance exposed = launch(publicSubnet, true, nodes);
        Instance hidden = launch(privateSubnet, false, nodes);
        allowFromCidr(nodes, OPERATOR + "/32", "tcp", 22);

        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, exposed.publicIpAddress(), "tcp", 22)).delivered())
                .isTrue();
        assertThat(emulator.reach(Flow.fromInternet(STRANGER, exposed.publicIpAddress(), "tcp", 22)).delivered())
                .isFalse();
        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, hidden.privateIpAddress(), "tcp", 22)).reason())
                .contains("no route from " + OPERATOR + " to the private address");
        assertThat(emulator.reach(Flow.fromOperatorNetwork(OPERATOR, hidden.privateIpAddress(), "tcp", 22))
                .delivered()).isTrue();

        ec2.deleteRoute(r -> r.routeTableId(publicTable).destinationCidrBlock("0.0.0.0/0"));
        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, exposed.publicIpAddress(), "tcp", 22)).delivered())
                .as("no route back through an internet gateway").isFalse();
    }

    @Test
    void aLoadBalancerForwardsToAHealthyTargetThatAdmitsTheClientsOwnAddress() {
        Instance controller = launch(publicSubnet, true, nodes, controllers);
        String lb = elb.createLoadBalancer(r -> r.name("k0-alpha-api").type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).subnets(publicSubnet)).loadBalancers().get(0)
                .loadBalancerArn();
        String dns = elb.describeLoadBalancers(r -> r.loadBalancerArns(lb)).loadBalancers().get(0).dnsName();
        String group = elb.createTargetGroup(r -> r.name("k0-alpha-6443").protocol("TCP").port(6443).vpcId(vpc))
                .targetGroups().get(0).targetGroupArn();

        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, dns, "tcp", 6443)).reason()).contains("no listener");
        Elbv2World.createListener(elb, lb, 6443, group);
        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, dns, "tcp", 6443)).reason())
                .contains("no healthy target");
        elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(controller.instanceId()).build()));
        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, dns, "tcp", 6443)).reason())
                .contains("client IP preservation");

        allowFromCidr(controllers, OPERATOR + "/32", "tcp", 6443);
        NetworkVerdict forwarded = emulator.reach(Flow.fromInternet(OPERATOR, dns, "tcp", 6443));
        assertThat(forwarded.delivered()).isTrue();
        assertThat(forwarded.via()).isEqualTo(controller.instanceId());
        assertThat(emulator.reach(Flow.fromInternet(STRANGER, dns, "tcp", 6443)).delivered()).isFalse();
        assertThat(List.of(emulator.reach(Flow.fromInternet(OPERATOR, dns, "tcp", 9443)).delivered()))
                .containsExactly(false);
    }

    @Test
    void anInternalLoadBalancerIsReachableFromTheVpcOnly() {
        Instance controller = launch(privateSubnet, false, nodes, controllers);
        Instance worker = launch(privateSubnet, false, nodes);
        allowFromCidr(controllers, "10.0.0.0/16", "tcp", 9443);
        String lb = elb.createLoadBalancer(r -> r.name("k0-beta-api").type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(privateSubnet)).loadBalancers().get(0)
                .loadBalancerArn();
        String dns = elb.describeLoadBalancers(r -> r.loadBalancerArns(lb)).loadBalancers().get(0).dnsName();
        String group = elb.createTargetGroup(r -> r.name("k0-beta-9443").protocol("TCP").port(9443).vpcId(vpc))
                .targetGroups().get(0).targetGroupArn();
        Elbv2World.createListener(elb, lb, 9443, group);
        elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(controller.instanceId()).build()));

        assertThat(emulator.reach(Flow.fromInstance(worker.instanceId(), dns, "tcp", 9443)).delivered()).isTrue();
        assertThat(emulator.reach(Flow.fromInternet(OPERATOR, dns, "tcp", 9443)).delivered()).isFalse();
    }
}
