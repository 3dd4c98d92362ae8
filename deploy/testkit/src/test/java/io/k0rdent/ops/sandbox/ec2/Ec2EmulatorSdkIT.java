package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/** The emulator as the real AWS SDK v2 sees it: every call here goes through the SDK's marshallers over HTTP. */
class Ec2EmulatorSdkIT {

    private Ec2Emulator emulator;
    private Ec2Client ec2;

    private Ec2Client start(Ec2EmulatorOptions options, boolean retries) {
        return start(options, retries, java.time.Clock.systemUTC());
    }

    private Ec2Client start(Ec2EmulatorOptions options, boolean retries, java.time.Clock clock) {
        emulator = Ec2Emulator.start(options, clock);
        ec2 = EmulatorClients.ec2(emulator, retries ? 3 : 1);
        return ec2;
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

    private static TagSpecification tags(ResourceType type, String... keyValues) {
        List<Tag> tags = IntStream.range(0, keyValues.length / 2)
                .mapToObj(i -> Tag.builder().key(keyValues[2 * i]).value(keyValues[2 * i + 1]).build()).toList();
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }

    private record Network(String vpcId, String subnetId, String groupId) {
    }

    private Network network(boolean publicIp) {
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")
                .tagSpecifications(tags(ResourceType.VPC, "k0rdent.io/cluster", "c1"))).vpc().vpcId();
        String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1b")
                .tagSpecifications(tags(ResourceType.SUBNET, "k0rdent.io/cluster", "c1"))).subnet().subnetId();
        String groupId = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("c1-nodes").description("nodes"))
                .groupId();
        if (publicIp) {
            String igw = ec2.createInternetGateway(r -> r.tagSpecifications(
                    tags(ResourceType.INTERNET_GATEWAY, "k0rdent.io/cluster", "c1"))).internetGateway()
                    .internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            ec2.modifySubnetAttribute(r -> r.subnetId(subnetId)
                    .mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(true).build()));
        }
        return new Network(vpcId, subnetId, groupId);
    }

    private RunInstancesRequest launch(Network network, String token, String type, int count) {
        return RunInstancesRequest.builder().imageId("ami-0a1b2c3d4e5f60002").instanceType(type).minCount(count)
                .maxCount(count).keyName("k0rdent").subnetId(network.subnetId()).securityGroupIds(network.groupId())
                .clientToken(token)
                .tagSpecifications(tags(ResourceType.INSTANCE, "k0rdent.io/cluster", "c1", "k0rdent.io/slot", "w0"))
                .build();
    }

    @Test
    void vpcsAreTaggedFilteredAndPaged() {
        start(Ec2EmulatorOptions.forTests().withQuotas(ServiceQuotas.forClusters(7)), true);
        for (int i = 0; i < 7; i++) {
            int n = i;
            ec2.createVpc(r -> r.cidrBlock("10." + n + ".0.0/16").tagSpecifications(
                    tags(ResourceType.VPC, "k0rdent.io/cluster", n % 2 == 0 ? "even" : "odd")));
        }
        List<Vpc> even = ec2.describeVpcsPaginator(r -> r.maxResults(5)
                .filters(Filter.builder().name("tag:k0rdent.io/cluster").values("even").build())).vpcs().stream()
                .toList();
        assertThat(even).hasSize(4).allSatisfy(vpc -> assertThat(vpc.tags())
                .containsExactly(Tag.builder().key("k0rdent.io/cluster").value("even").build()));
        assertThat(ec2.describeVpcsPaginator(r -> r.maxResults(5)).vpcs().stream().count()).isEqualTo(7);
        assertThat(emulator.audit().count("DescribeVpcs")).isEqualTo(3);
        assertThat(even.get(0).cidrBlock()).isEqualTo("10.0.0.0/16");
    }

    @Test
    void instancesGetAddressesFromTheirSubnetAndPassThroughTheWaiters() {
        start(Ec2EmulatorOptions.forTests(), true);
        Network network = network(true);
        RunInstancesResponse launched = ec2.runInstances(launch(network, "c1-g1-w0", "t3.large", 2));
        List<String> ids = launched.instances().stream().map(Instance::instanceId).toList();
        assertThat(launched.instances()).allSatisfy(instance -> {
            assertThat(instance.state().name()).isEqualTo(InstanceStateName.PENDING);
            assertThat(instance.privateIpAddress()).startsWith("10.0.1.");
            assertThat(instance.publicIpAddress()).startsWith("203.0.113.");
            assertThat(instance.placement().availabilityZone()).isEqualTo("us-east-1b");
            assertThat(instance.securityGroups()).extracting(g -> g.groupId()).containsExactly(network.groupId());
            assertThat(instance.tags()).contains(Tag.builder().key("k0rdent.io/slot").value("w0").build());
        });

        try (Ec2Waiter waiter = Ec2Waiter.builder().client(ec2).overrideConfiguration(
                WaiterOverrideConfiguration.builder().maxAttempts(10)
                        .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(
                                Duration.ofMillis(10))).build()).build()) {
            var running = waiter.waitUntilInstanceRunning(r -> r.instanceIds(ids));
            assertThat(running.matched().response()).isPresent();
            assertThat(running.matched().response().get().reservations().get(0).instances())
                    .allSatisfy(i -> assertThat(i.state().name()).isEqualTo(InstanceStateName.RUNNING));

            var terminating = ec2.terminateInstances(r -> r.instanceIds(ids)).terminatingInstances();
            assertThat(terminating).allSatisfy(change -> {
                assertThat(change.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
                assertThat(change.currentState().name()).isEqualTo(InstanceStateName.SHUTTING_DOWN);
            });
            waiter.waitUntilInstanceTerminated(r -> r.instanceIds(ids));
        }
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("instance-state-name")
                .values("pending", "running").build())).reservations()).isEmpty();
    }

    @Test
    void aStoppedInstanceKeepsItsTagsUntilTerminatedAndATerminatedOneCannotBeStopped() {
        start(Ec2EmulatorOptions.forTests(), true);
        Network network = network(true);
        String id = ec2.runInstances(launch(network, "stop-1", "t3.large", 1)).instances().get(0).instanceId();
        try (Ec2Waiter waiter = Ec2Waiter.builder().client(ec2).overrideConfiguration(
                WaiterOverrideConfiguration.builder().maxAttempts(10)
                        .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(
                                Duration.ofMillis(10))).build()).build()) {
            waiter.waitUntilInstanceRunning(r -> r.instanceIds(id));
            var stopping = ec2.stopInstances(r -> r.instanceIds(id)).stoppingInstances().get(0);
            assertThat(stopping.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
            assertThat(stopping.currentState().name()).isEqualTo(InstanceStateName.STOPPING);
            var stopped = waiter.waitUntilInstanceStopped(r -> r.instanceIds(id)).matched().response().orElseThrow()
                    .reservations().get(0).instances().get(0);
            assertThat(stopped.tags()).contains(Tag.builder().key("k0rdent.io/slot").value("w0").build());

            ec2.terminateInstances(r -> r.instanceIds(id));
            waiter.waitUntilInstanceTerminated(r -> r.instanceIds(id));
        }
        assertThatThrownBy(() -> ec2.stopInstances(r -> r.instanceIds(id)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("IncorrectInstanceState"));
    }

    @Test
    void revokingIngressRemovesOneSourceOfARuleAndAnAbsentRuleIsNotFound() {
        start(Ec2EmulatorOptions.forTests(), true);
        Network network = network(false);
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(network.groupId()).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(6443).toPort(6443)
                .ipRanges(IpRange.builder().cidrIp("10.0.0.0/16").build(), IpRange.builder().cidrIp("192.0.2.0/24")
                        .build())
                .userIdGroupPairs(UserIdGroupPair.builder().groupId(network.groupId()).build()).build()));

        ec2.revokeSecurityGroupIngress(r -> r.groupId(network.groupId()).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(6443).toPort(6443)
                .ipRanges(IpRange.builder().cidrIp("192.0.2.0/24").build()).build()));

        SecurityGroup group = ec2.describeSecurityGroups(r -> r.groupIds(network.groupId())).securityGroups().get(0);
        assertThat(group.ipPermissions()).singleElement().satisfies(p -> {
            assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("10.0.0.0/16");
            assertThat(p.userIdGroupPairs()).extracting(UserIdGroupPair::groupId).containsExactly(network.groupId());
        });
        assertThatThrownBy(() -> ec2.revokeSecurityGroupIngress(r -> r.groupId(network.groupId())
                .ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidPermission.NotFound"));
    }

    @Test
    void aRepeatedClientTokenReturnsTheSameInstancesAndDifferentParametersAreAMismatch() {
        start(Ec2EmulatorOptions.forTests(), true);
        Network network = network(false);
        String first = ec2.runInstances(launch(network, "c1-g1-w0", "t3.large", 1)).instances().get(0).instanceId();
        String again = ec2.runInstances(launch(network, "c1-g1-w0", "t3.large", 1)).instances().get(0).instanceId();
        assertThat(again).isEqualTo(first);
        assertThat(emulator.audit().launchedInstanceIds()).containsExactly(first);

        assertThatThrownBy(() -> ec2.runInstances(launch(network, "c1-g1-w0", "t3.xlarge", 1)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IdempotentParameterMismatch");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(ec2.runInstances(launch(network, "c1-g1-w0", "t3.large", 1)).instances().get(0).publicIpAddress())
                .isNull();
    }

    @Test
    void aLostRunInstancesResponseIsRetriedByTheSdkWithTheSameTokenAndLaunchesOnce() {
        start(Ec2EmulatorOptions.forTests().withFault(
                FaultRule.onNthCall("RunInstances", 1, "InternalError", 500).withEffectApplied()), true);
        Network network = network(false);
        String id = ec2.runInstances(launch(network, "c1-g1-w0", "t3.large", 1)).instances().get(0).instanceId();
        assertThat(emulator.audit().entries("RunInstances")).hasSize(2)
                .first().satisfies(e -> assertThat(e.errorCode()).isEqualTo("InternalError"));
        assertThat(emulator.audit().launchedInstanceIds()).containsExactly(id);
        assertThat(emulator.audit().entries("RunInstances").get(0).tagSpecValue("instance", "k0rdent.io/slot"))
                .isEqualTo("w0");
    }

    @Test
    void deletionsFollowEc2DependencyRules() {
        start(Ec2EmulatorOptions.forTests(), true);
        Network network = network(true);
        String igw = ec2.describeInternetGateways(r -> r.filters(Filter.builder().name("attachment.vpc-id")
                .values(network.vpcId()).build())).internetGateways().get(0).internetGatewayId();
        String other = ec2.createSecurityGroup(r -> r.vpcId(network.vpcId()).groupName("c1-ctl").description("ctl"))
                .groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(other).ipPermissions(
                IpPermission.builder().ipProtocol("tcp").fromPort(6443).toPort(6443)
                        .userIdGroupPairs(UserIdGroupPair.builder().groupId(network.groupId()).build()).build(),
                IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                        .ipRanges(IpRange.builder().cidrIp("192.0.2.0/24").build()).build()));
        SecurityGroup described = ec2.describeSecurityGroups(r -> r.groupIds(other)).securityGroups().get(0);
        assertThat(described.ipPermissions()).hasSize(2);
        assertThat(described.ipPermissions().get(0).userIdGroupPairs().get(0).groupId()).isEqualTo(network.groupId());
        assertThatThrownBy(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(other).ipPermissions(
                IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                        .ipRanges(IpRange.builder().cidrIp("192.0.2.0/24").build()).build())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPermission.Duplicate"));

        String instance = ec2.runInstances(launch(network, "t", "t3.large", 1)).instances().get(0).instanceId();

        assertThatThrownBy(() -> ec2.deleteVpc(r -> r.vpcId(network.vpcId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(network.subnetId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(r -> r.groupId(network.groupId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        assertThatThrownBy(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(network.vpcId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        assertThatThrownBy(() -> ec2.deleteInternetGateway(r -> r.internetGatewayId(igw)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));

        ec2.terminateInstances(r -> r.instanceIds(instance));
        // Still shutting down: EC2 keeps the dependency until the instance is terminated.
        assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(network.subnetId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        ec2.waiter().waitUntilInstanceTerminated(r -> r.instanceIds(instance),
                w -> w.backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(
                        Duration.ofMillis(10))));

        ec2.deleteSecurityGroup(r -> r.groupId(other));
        ec2.deleteSecurityGroup(r -> r.groupId(network.groupId()));
        ec2.deleteSubnet(r -> r.subnetId(network.subnetId()));
        ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(network.vpcId()));
        ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
        ec2.deleteVpc(r -> r.vpcId(network.vpcId()));
        assertThat(ec2.describeVpcs().vpcs()).isEmpty();
        assertThatThrownBy(() -> ec2.deleteVpc(r -> r.vpcId(network.vpcId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidVpcID.NotFound"));
    }

    @Test
    void routeTablesRoutesAndAssociations() {
        start(Ec2EmulatorOptions.forTests(), true);
        Network network = network(true);
        String igw = ec2.describeInternetGateways().internetGateways().get(0).internetGatewayId();
        String table = ec2.createRouteTable(r -> r.vpcId(network.vpcId()).tagSpecifications(
                tags(ResourceType.ROUTE_TABLE, "k0rdent.io/cluster", "c1"))).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        String association = ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(network.subnetId()))
                .associationId();
        var described = ec2.describeRouteTables(r -> r.filters(
                Filter.builder().name("tag:k0rdent.io/cluster").values("c1").build())).routeTables();
        assertThat(described).hasSize(1);
        assertThat(described.get(0).routes()).extracting(r -> r.gatewayId()).containsExactly("local", igw);
        assertThat(described.get(0).associations().get(0).subnetId()).isEqualTo(network.subnetId());
        assertThat(ec2.describeRouteTables(r -> r.filters(Filter.builder().name("vpc-id").values(network.vpcId())
                .build())).routeTables()).hasSize(2);

        assertThatThrownBy(() -> ec2.deleteRouteTable(r -> r.routeTableId(table)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        ec2.disassociateRouteTable(r -> r.associationId(association));
        ec2.deleteRouteTable(r -> r.routeTableId(table));
    }

    @Test
    void imagesZonesTagsAndErrors() {
        start(Ec2EmulatorOptions.forTests().withSshEndpointHook(i -> "127.0.0.1:" + (2200 + i.privateIpAddress()
                .length())), true);
        var images = ec2.describeImages(r -> r.owners(ImageSpec.CANONICAL).filters(
                Filter.builder().name("name").values("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*").build(),
                Filter.builder().name("architecture").values("x86_64").build())).images();
        assertThat(images).extracting(i -> i.imageId()).containsExactly("ami-0a1b2c3d4e5f60001", "ami-0a1b2c3d4e5f60002");
        assertThat(images.get(1).creationDate()).isEqualTo("2024-11-01T00:00:00.000Z");
        assertThat(ec2.describeAvailabilityZones().availabilityZones()).extracting(z -> z.zoneName())
                .containsExactly("us-east-1-bos-1a", "us-east-1a", "us-east-1b", "us-east-1c");
        assertThat(ec2.describeAvailabilityZones(r -> r.filters(
                        Filter.builder().name("zone-type").values("availability-zone").build())).availabilityZones())
                .extracting(z -> z.zoneName()).containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
        assertThat(ec2.describeAvailabilityZones(r -> r.zoneNames("us-east-1-bos-1a")).availabilityZones())
                .singleElement().satisfies(z -> {
                    assertThat(z.zoneType()).isEqualTo("local-zone");
                    assertThat(z.optInStatusAsString()).isEqualTo("opted-in");
                });

        Network network = network(false);
        Instance instance = ec2.runInstances(launch(network, null, "t3.large", 1)).instances().get(0);
        assertThat(instance.tags()).contains(Tag.builder().key(Ec2EmulatorOptions.DEFAULT_SSH_ENDPOINT_TAG)
                .value("127.0.0.1:2208").build());
        ec2.createTags(r -> r.resources(instance.instanceId(), network.vpcId())
                .tags(Tag.builder().key("k0rdent.io/generation").value("2").build()));
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:k0rdent.io/generation")
                .values("2").build())).reservations().get(0).instances()).hasSize(1);
        assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("tag-key").values("k0rdent.io/gen*")
                .build())).vpcs()).hasSize(1);

        assertThatThrownBy(() -> ec2.describeVpcs(r -> r.filters(Filter.builder().name("bogus").values("x").build())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> ec2.createSubnet(r -> r.vpcId(network.vpcId()).cidrBlock("10.0.1.128/25")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidSubnet.Conflict"));
        assertThatThrownBy(() -> ec2.createSubnet(r -> r.vpcId(network.vpcId()).cidrBlock("10.9.0.0/24")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidSubnet.Range"));
        assertThatThrownBy(() -> ec2.describeInstances(r -> r.instanceIds("i-0000000000000000")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidInstanceID.NotFound"));
        assertThatThrownBy(() -> ec2.runInstances(launch(network, "x".repeat(65), "t3.large", 1)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void runInstancesFollowsItsTokenBucket() {
        start(Ec2EmulatorOptions.forTests().withThrottling(true)
                .withBucket("RunInstances", new BucketSpec(5, 0.001)), false);
        Network network = network(false);
        for (int i = 0; i < 5; i++) {
            ec2.runInstances(launch(network, "t" + i, "t3.large", 1));
        }
        assertThatThrownBy(() -> ec2.runInstances(launch(network, "t5", "t3.large", 1)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.isThrottlingException()).isTrue();
                });
        // Other actions have their own buckets.
        assertThat(ec2.describeInstances().reservations()).hasSize(5);
    }

    @Test
    void faultsFireOnTheNthCallOrOnASeededShare() {
        start(Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("DescribeVpcs", 2, "UnauthorizedOperation", 403))
                .withFault(FaultRule.onPercent("DescribeSubnets", 50, "InternalError", 500)), false);
        ec2.describeVpcs();
        assertThatThrownBy(ec2::describeVpcs).satisfies(e -> assertThat(code(e)).isEqualTo("UnauthorizedOperation"));
        ec2.describeVpcs();
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            try {
                ec2.describeSubnets();
            } catch (AwsServiceException e) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                failures++;
            }
        }
        assertThat(failures).isBetween(25, 75);
        assertThat(emulator.audit().entries("DescribeSubnets").stream().filter(e -> !e.succeeded()).count())
                .isEqualTo(failures);
    }

    /** A clock the test moves by hand. */
    private static final class ManualClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-11-25T09:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void timeBasedTransitionsFollowTheEmulatorsClock() {
        ManualClock clock = new ManualClock();
        start(Ec2EmulatorOptions.forTests().withTransitions(Transitions.after(Duration.ofSeconds(20))), true, clock);
        Network network = network(false);
        String id = ec2.runInstances(launch(network, "t", "t3.large", 1)).instances().get(0).instanceId();
        for (int i = 0; i < 3; i++) {
            assertThat(state(id)).isEqualTo(InstanceStateName.PENDING);
        }
        clock.advance(Duration.ofSeconds(20));
        assertThat(state(id)).isEqualTo(InstanceStateName.RUNNING);
        ec2.terminateInstances(r -> r.instanceIds(id));
        assertThat(state(id)).isEqualTo(InstanceStateName.SHUTTING_DOWN);
        // Still shutting down: the subnet keeps its dependency until the time has passed.
        assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(network.subnetId())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("DependencyViolation"));
        clock.advance(Duration.ofSeconds(20));
        ec2.deleteSubnet(r -> r.subnetId(network.subnetId()));
        assertThat(state(id)).isEqualTo(InstanceStateName.TERMINATED);
    }

    private InstanceStateName state(String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).state()
                .name();
    }

    private static String code(Throwable e) {
        assertThat(e).isInstanceOf(AwsServiceException.class);
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

}
