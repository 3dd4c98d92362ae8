package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * A durable emulator ({@link Ec2EmulatorOptions#withStateFile}) through the real AWS SDK: what one emulator created
 * is what the next one, started on the same file, answers, and idempotency tokens still find their instances.
 */
class Ec2EmulatorStateIT {

    private static final Tag CLUSTER = Tag.builder().key("k0rdent.io/cluster").value("c1").build();

    @TempDir
    Path dir;

    private static Ec2Client client(Ec2Emulator emulator) {
        return Ec2Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static TagSpecification tagged(ResourceType type) {
        return TagSpecification.builder().resourceType(type).tags(CLUSTER).build();
    }

    private static RunInstancesRequest launch(String subnetId, String groupId, String token, int count) {
        return RunInstancesRequest.builder().imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large")
                .minCount(count).maxCount(count).keyName("k0rdent").subnetId(subnetId).securityGroupIds(groupId)
                .clientToken(token).tagSpecifications(tagged(ResourceType.INSTANCE)).build();
    }

    private record World(String vpcId, String subnetId, String groupId, String gatewayId, String routeTableId,
                         List<String> instanceIds, String terminatedId) {
    }

    private static World build(Ec2Client ec2) {
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").tagSpecifications(tagged(ResourceType.VPC)))
                .vpc().vpcId();
        String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1b")
                .tagSpecifications(tagged(ResourceType.SUBNET))).subnet().subnetId();
        String gatewayId = ec2.createInternetGateway(r -> r.tagSpecifications(tagged(ResourceType.INTERNET_GATEWAY)))
                .internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(gatewayId).vpcId(vpcId));
        String routeTableId = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(routeTableId).destinationCidrBlock("0.0.0.0/0").gatewayId(gatewayId));
        ec2.associateRouteTable(r -> r.routeTableId(routeTableId).subnetId(subnetId));
        String groupId = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("c1-nodes").description("nodes"))
                .groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                .build()));
        List<String> instances = ec2.runInstances(launch(subnetId, groupId, "c1-g1-workers", 2)).instances().stream()
                .map(Instance::instanceId).toList();
        String terminated = ec2.runInstances(launch(subnetId, groupId, "c1-g1-gone", 1)).instances().get(0)
                .instanceId();
        ec2.terminateInstances(r -> r.instanceIds(terminated));
        ec2.createTags(r -> r.resources(instances.get(0)).tags(Tag.builder().key("role").value("controller").build()));
        // The waiters' polls move them on: pending → running, shutting-down → terminated.
        ec2.describeInstances(r -> r.instanceIds(instances));
        ec2.describeInstances(r -> r.instanceIds(instances));
        ec2.describeInstances(r -> r.instanceIds(terminated));
        ec2.describeInstances(r -> r.instanceIds(terminated));
        return new World(vpcId, subnetId, groupId, gatewayId, routeTableId, instances, terminated);
    }

    private static Map<String, String> states(Ec2Client ec2) {
        return ec2.describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
                .collect(Collectors.toMap(Instance::instanceId, i -> i.state().nameAsString()));
    }

    @Test
    void aRestartedEmulatorAnswersWithTheSameResourcesTagsAndTokens() {
        Path file = dir.resolve("ec2/state.json");
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withStateFile(file);
        World world;
        Map<String, String> statesBefore;
        List<Instance> instancesBefore;
        try (Ec2Emulator first = Ec2Emulator.start(options); Ec2Client ec2 = client(first)) {
            world = build(ec2);
            statesBefore = states(ec2);
            instancesBefore = ec2.describeInstances(r -> r.instanceIds(world.instanceIds())).reservations().stream()
                    .flatMap(r -> r.instances().stream()).toList();
        }
        assertThat(file).exists();

        try (Ec2Emulator second = Ec2Emulator.start(options); Ec2Client ec2 = client(second)) {
            assertThat(second.restored()).isEqualTo(new Ec2Emulator.StateSummary(1, 2));
            assertThat(states(ec2)).isEqualTo(statesBefore).containsEntry(world.terminatedId(), "terminated");
            List<Instance> instancesAfter = ec2.describeInstances(r -> r.instanceIds(world.instanceIds()))
                    .reservations().stream().flatMap(r -> r.instances().stream()).toList();
            assertThat(instancesAfter).isEqualTo(instancesBefore);
            assertThat(instancesAfter.get(0).tags()).contains(CLUSTER,
                    Tag.builder().key("role").value("controller").build());

            Filter byCluster = Filter.builder().name("tag:k0rdent.io/cluster").values("c1").build();
            assertThat(ec2.describeVpcs(r -> r.filters(byCluster)).vpcs()).singleElement()
                    .satisfies(v -> assertThat(v.vpcId()).isEqualTo(world.vpcId()));
            assertThat(ec2.describeSubnets(r -> r.filters(byCluster)).subnets()).singleElement()
                    .satisfies(s -> assertThat(s.availabilityZone()).isEqualTo("us-east-1b"));
            assertThat(ec2.describeInternetGateways(r -> r.internetGatewayIds(world.gatewayId())).internetGateways()
                    .get(0).attachments().get(0).vpcId()).isEqualTo(world.vpcId());
            assertThat(ec2.describeRouteTables(r -> r.routeTableIds(world.routeTableId())).routeTables().get(0))
                    .satisfies(t -> {
                        assertThat(t.routes()).anyMatch(route -> "0.0.0.0/0".equals(route.destinationCidrBlock()));
                        assertThat(t.associations()).anyMatch(a -> world.subnetId().equals(a.subnetId()));
                    });
            assertThat(ec2.describeSecurityGroups(r -> r.groupIds(world.groupId())).securityGroups().get(0)
                    .ipPermissions()).singleElement().satisfies(p -> assertThat(p.fromPort()).isEqualTo(22));

            // The same token and parameters: the same instances, nothing launched.
            List<String> again = ec2.runInstances(launch(world.subnetId(), world.groupId(), "c1-g1-workers", 2))
                    .instances().stream().map(Instance::instanceId).toList();
            assertThat(again).isEqualTo(world.instanceIds());
            assertThat(second.audit().entries()).filteredOn(e -> e.action().equals("RunInstances"))
                    .allSatisfy(e -> assertThat(e.createdIds()).isEmpty());
            // The same token with other parameters is still refused, as before the restart.
            assertThatThrownBy(() -> ec2.runInstances(launch(world.subnetId(), world.groupId(), "c1-g1-workers", 3)))
                    .isInstanceOfSatisfying(AwsServiceException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IdempotentParameterMismatch"));

            // New resources get new ids and the next free addresses, never one from before the restart.
            List<Instance> fresh = ec2.runInstances(launch(world.subnetId(), world.groupId(), "c1-g2-workers", 1))
                    .instances();
            assertThat(fresh.get(0).instanceId()).isNotIn(statesBefore.keySet());
            assertThat(fresh.get(0).privateIpAddress()).isNotIn(instancesBefore.stream()
                    .map(Instance::privateIpAddress).toList()).isEqualTo("10.0.1.7");
            String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
            assertThat(otherVpc).isNotEqualTo(world.vpcId());

            // Dependency rules hold on restored resources.
            assertThatThrownBy(() -> ec2.deleteVpc(r -> r.vpcId(world.vpcId())))
                    .isInstanceOfSatisfying(AwsServiceException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));
        }
    }

    @Test
    void changesAreSavedWithoutAClose() throws Exception {
        Path file = dir.resolve("state.json");
        Ec2Emulator emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests().withStateFile(file));
        try (Ec2Client ec2 = client(emulator)) {
            String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            // Saved in the background shortly after the change, as a kill -9 of k0ops up would need.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!(Files.exists(file) && Files.readString(file).contains(vpcId)) && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling a file another thread writes; there is nothing to wait on
            }
            assertThat(Files.readString(file)).contains(vpcId);
        } finally {
            emulator.close();
        }
    }

    @Test
    void withoutAStateFileNothingIsWrittenOrRestored() {
        try (Ec2Emulator first = Ec2Emulator.start(Ec2EmulatorOptions.forTests()); Ec2Client ec2 = client(first)) {
            ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16"));
        }
        try (Ec2Emulator second = Ec2Emulator.start(Ec2EmulatorOptions.forTests()); Ec2Client ec2 = client(second)) {
            assertThat(ec2.describeVpcs().vpcs()).isEmpty();
            assertThat(second.restored()).isEqualTo(new Ec2Emulator.StateSummary(0, 0));
        }
        assertThat(dir).isEmptyDirectory();
    }
}
