package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Security-group egress rules in the twin, built with the real SDK: a new group starts with AWS's default outbound
 * rule (all protocols to 0.0.0.0/0), rules are authorized and revoked one by one with AWS's error codes, and a flow
 * leaves an instance only when some group of the instance has an egress rule admitting it (VPC User Guide, "Security
 * group rules", "Default security groups"; EC2 API reference, "AuthorizeSecurityGroupEgress",
 * "RevokeSecurityGroupEgress").
 */
class SecurityGroupEgressIT {

    private static final IpPermission ALL_OUT = IpPermission.builder().ipProtocol("-1")
            .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build();

    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private String vpc;
    private String subnet;
    private String nodes;
    private String controllers;

    @BeforeEach
    void world() {
        start(Ec2EmulatorOptions.forTests());
    }

    private void start(Ec2EmulatorOptions options) {
        emulator = Ec2Emulator.start(options.withTransitions(Transitions.after(Duration.ZERO)));
        ec2 = EmulatorClients.ec2(emulator, 1);
        vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String table = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
        nodes = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("nodes").description("nodes")).groupId();
        controllers = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("controllers").description("c")).groupId();
    }

    @AfterEach
    void close() {
        ec2.close();
        emulator.close();
    }

    private Instance launch(String... groups) {
        String id = ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large").minCount(1)
                .maxCount(1).keyName("k0rdent").networkInterfaces(n -> n.deviceIndex(0).subnetId(subnet)
                        .associatePublicIpAddress(true).groups(groups))).instances().get(0).instanceId();
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private List<IpPermission> egressOf(String group) {
        return ec2.describeSecurityGroups(r -> r.groupIds(group)).securityGroups().get(0).ipPermissionsEgress();
    }

    private static String errorCode(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    @Test
    void aNewGroupAllowsAllOutboundAndEgressRulesAreAuthorizedAndRevokedLikeAwsDoes() {
        assertThat(egressOf(nodes)).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("-1");
            assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("0.0.0.0/0");
        });
        String defaultGroup = ec2.describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values("default")))
                .securityGroups().get(0).groupId();
        assertThat(egressOf(defaultGroup)).as("the VPC's default group too").hasSize(1);

        ec2.revokeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(ALL_OUT));
        assertThat(egressOf(nodes)).isEmpty();
        assertThatThrownBy(() -> ec2.revokeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(ALL_OUT)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidPermission.NotFound"));

        IpPermission api = IpPermission.builder().ipProtocol("tcp").fromPort(6443).toPort(6443)
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(controllers).build()).build();
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(api, ALL_OUT));
        assertThat(egressOf(nodes)).hasSize(2).anySatisfy(p -> {
            assertThat(p.fromPort()).isEqualTo(6443);
            assertThat(p.userIdGroupPairs()).extracting(UserIdGroupPair::groupId).containsExactly(controllers);
        });
        assertThatThrownBy(() -> ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(ALL_OUT)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidPermission.Duplicate"));
        assertThat(ec2.describeSecurityGroups(r -> r.groupIds(nodes)).securityGroups().get(0).ipPermissions())
                .as("ingress untouched").isEmpty();
        // A group named by another group's egress rule is in use, as for ingress references.
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(r -> r.groupId(controllers)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("DependencyViolation"));
    }

    @Test
    void anIpv6RangeIsARuleOfItsOwnListedAndRevokedByItsRange() {
        // IpPermission's Ipv6Ranges (CidrIpv6) in botocore's EC2 model; "You must specify exactly one of the
        // following sources: an IPv4 or IPv6 address range, a prefix list, or a security group" (API reference,
        // "AuthorizeSecurityGroupEgress"). Before, the twin dropped the range and kept a rule without a destination.
        IpPermission v6 = IpPermission.builder().ipProtocol("-1")
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build()).build();
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(v6));

        assertThat(egressOf(nodes)).hasSize(2).anySatisfy(p -> {
            assertThat(p.ipRanges()).isEmpty();
            assertThat(p.ipv6Ranges()).extracting(Ipv6Range::cidrIpv6).containsExactly("::/0");
        });
        assertThatThrownBy(() -> ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(v6)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidPermission.Duplicate"));
        assertThatThrownBy(() -> ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(
                IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                        .ipv6Ranges(Ipv6Range.builder().cidrIpv6("2001:db8::/129").build()).build())))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));

        ec2.revokeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(v6));
        assertThat(egressOf(nodes)).singleElement()
                .satisfies(p -> assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("0.0.0.0/0"));
        assertThatThrownBy(() -> ec2.revokeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(v6)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidPermission.NotFound"));
    }

    @Test
    void aFlowLeavesAnInstanceOnlyWhenAnEgressRuleOfItsGroupsAdmitsIt() {
        Instance controller = launch(controllers);
        Instance worker = launch(nodes);
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(controllers).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(6443).toPort(9443)
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(nodes).build()).build()));
        Flow join = Flow.fromInstance(worker.instanceId(), controller.privateIpAddress(), "tcp", 9443);
        assertThat(emulator.reach(join).delivered()).isTrue();
        assertThat(emulator.reach(Flow.toInternet(worker.instanceId(), 443)).delivered()).isTrue();

        ec2.revokeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(ALL_OUT));
        NetworkVerdict dropped = emulator.reach(join);
        assertThat(dropped.delivered()).isFalse();
        assertThat(dropped.reason()).contains("no security group of " + worker.instanceId() + " lets tcp/9443 out to "
                + controller.privateIpAddress());
        NetworkVerdict download = emulator.reach(Flow.toInternet(worker.instanceId(), 443));
        assertThat(download.delivered()).isFalse();
        assertThat(download.reason()).contains("no security group of " + worker.instanceId())
                .contains("the internet");
        assertThat(emulator.reach(Flow.fromInstance(controller.instanceId(), worker.privateIpAddress(), "tcp", 22))
                .reason()).as("the controller's own egress is still open: the worker's ingress decides")
                .contains("no security group of " + worker.instanceId() + " admits");

        // A narrow rule to the controllers' group opens the join port to their private addresses only.
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(9443).toPort(9443)
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(controllers).build()).build()));
        assertThat(emulator.reach(join).delivered()).isTrue();
        assertThat(emulator.reach(Flow.fromInstance(worker.instanceId(), controller.privateIpAddress(), "tcp", 6443))
                .delivered()).as("another port").isFalse();
        assertThat(emulator.reach(Flow.fromInstance(worker.instanceId(), controller.publicIpAddress(), "tcp", 9443))
                .delivered()).as("a group reference matches private addresses only").isFalse();
        // A CIDR rule narrower than the whole internet does not open downloads from anywhere.
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(IpRange.builder().cidrIp("10.0.0.0/8").build())
                .build()));
        assertThat(emulator.reach(Flow.toInternet(worker.instanceId(), 443)).delivered()).isFalse();

        ec2.authorizeSecurityGroupEgress(r -> r.groupId(nodes).ipPermissions(ALL_OUT));
        assertThat(emulator.reach(Flow.toInternet(worker.instanceId(), 443)).delivered()).isTrue();
    }

    @Test
    void egressRulesSurviveARestart(@TempDir Path dir) {
        close();
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withStateFile(dir.resolve("ec2/state.json"));
        start(options);
        String group = nodes;
        ec2.revokeSecurityGroupEgress(r -> r.groupId(group).ipPermissions(ALL_OUT));
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol("udp").fromPort(53).toPort(53).ipRanges(IpRange.builder().cidrIp("10.0.0.2/32").build())
                .build()));
        ec2.close();
        emulator.close();

        emulator = Ec2Emulator.start(options);
        ec2 = EmulatorClients.ec2(emulator, 1);
        assertThat(egressOf(group)).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("udp");
            assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("10.0.0.2/32");
        });
    }
}
