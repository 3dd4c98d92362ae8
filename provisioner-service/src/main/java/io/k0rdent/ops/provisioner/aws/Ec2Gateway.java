package io.k0rdent.ops.provisioner.aws;

import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.observed;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.securityGroup;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.spec;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.tagFilter;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.tagList;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.tags;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.LocationType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * The provisioner's only door to EC2 (one region). Domain classes speak in {@link ClusterInventory},
 * {@link LaunchSpec} and {@link ObservedInstance}; this class turns them into SDK calls, waits with the SDK's
 * {@link Ec2Waiter}, and turns every SDK exception into a typed {@link Ec2Failure} naming the failed resource.
 * Retries of throttling and 5xx happen inside the SDK client (see {@link Ec2Clients}).
 */
public class Ec2Gateway {

    /**
     * Page sizes inside each Describe action's range in AWS's model (botocore {@code ec2/2016-11-15/service-2.json},
     * mirrored in the sandbox's {@code aws-model/}): 5..1000 for VPCs, subnets, internet gateways and security groups,
     * and for instances by AWS's documentation; route tables only 5..100.
     */
    private static final int PAGE = 1000;
    private static final int ROUTE_TABLE_PAGE = 100;

    private final Ec2Client ec2;
    private final String region;
    private final EventualConsistencyRetry consistency;
    private final Ec2Calls calls;
    private final ProvisionerProperties properties;
    private final EgressCalls egress;
    private final RegionCatalog catalog;
    private final LoadBalancerCalls loadBalancers;
    private final NetworkCalls network;

    public Ec2Gateway(Ec2Client ec2, String region, ProvisionerProperties properties,
                      LoadBalancerCalls loadBalancers, java.time.Clock clock) {
        this.loadBalancers = loadBalancers;
        this.ec2 = ec2;
        this.region = region;
        this.properties = properties;
        this.consistency = new EventualConsistencyRetry(properties.eventualConsistencyWindow(),
                clock, duration -> Thread.sleep(duration.toMillis()));
        this.calls = new Ec2Calls(consistency);
        this.egress = new EgressCalls(ec2, calls, properties);
        this.catalog = new RegionCatalog(ec2, region, properties);
        this.network = new NetworkCalls(ec2, calls);
    }

    /** NAT gateways, Elastic IPs and private routes of this region. */
    public EgressCalls egress() {
        return egress;
    }

    public String region() {
        return region;
    }

    // ---- Reading --------------------------------------------------------------------------------------------

    /** Everything tagged {@code k0rdent.io/cluster=<cluster>}: the cluster's ledger, straight from EC2. */
    public ClusterInventory inventory(String cluster) {
        Filter byCluster = tagFilter(ClusterTags.CLUSTER, cluster);
        return call("Describe " + cluster, () -> {
            List<Vpc> vpcs = ec2.describeVpcsPaginator(r -> r.filters(byCluster).maxResults(PAGE)).vpcs()
                    .stream().toList();
            List<Subnet> described = ec2.describeSubnetsPaginator(r -> r.filters(byCluster).maxResults(PAGE))
                    .subnets().stream().toList();
            Set<String> publicSubnets = new java.util.HashSet<>();
            described.stream().filter(s -> Boolean.TRUE.equals(s.mapPublicIpOnLaunch()))
                    .forEach(s -> publicSubnets.add(s.subnetId()));
            List<ClusterInventory.Resource> subnets = described.stream()
                    .sorted(Comparator.comparing(Subnet::availabilityZone))
                    .map(s -> new ClusterInventory.Resource(s.subnetId(), tags(s.tags()), s.availabilityZone(),
                            s.cidrBlock(), List.of(s.vpcId())))
                    .toList();
            List<InternetGateway> gateways = ec2.describeInternetGatewaysPaginator(r -> r.filters(byCluster)
                    .maxResults(PAGE)).internetGateways().stream().toList();
            List<RouteTable> tables = ec2.describeRouteTablesPaginator(r -> r.filters(byCluster)
                    .maxResults(ROUTE_TABLE_PAGE)).routeTables().stream().toList();
            List<ClusterInventory.Resource> routeTables = tables.stream().map(Ec2Mapping::routeTable).toList();
            Map<String, ClusterInventory.Routing> routing = new LinkedHashMap<>();
            tables.forEach(t -> routing.put(t.routeTableId(), Ec2Mapping.routing(t)));
            foreignTables(described, routing);
            Map<String, ClusterInventory.Resource> groups = new LinkedHashMap<>();
            Map<String, List<String>> groupEgress = new LinkedHashMap<>();
            ec2.describeSecurityGroupsPaginator(r -> r.filters(byCluster).maxResults(PAGE)).securityGroups()
                    .forEach(g -> {
                        groups.put(g.groupName(), securityGroup(g));
                        groupEgress.put(g.groupName(), Ec2Mapping.egressRules(g));
                    });
            List<ObservedInstance> instances = new ArrayList<>();
            ec2.describeInstancesPaginator(r -> r.filters(byCluster).maxResults(PAGE)).reservations()
                    .forEach(res -> res.instances().forEach(i -> instances.add(observed(i))));
            Vpc vpc = vpcs.isEmpty() ? null : vpcs.get(0);
            InternetGateway gateway = gateways.isEmpty() ? null : gateways.get(0);
            return new ClusterInventory(cluster,
                    vpc == null ? null : new ClusterInventory.Resource(vpc.vpcId(), tags(vpc.tags()), null,
                            vpc.cidrBlock(), List.of()),
                    subnets,
                    gateway == null ? null : new ClusterInventory.Resource(gateway.internetGatewayId(),
                            tags(gateway.tags()), null, null,
                            gateway.attachments().stream().map(a -> a.vpcId()).toList()),
                    routeTables, groups, instances, routing, egress.natGateways(cluster), egress.addresses(cluster),
                    publicSubnets, groupEgress);
        });
    }

    /**
     * Adds to {@code routing} the route tables that are not the cluster's but hold one of its subnets: someone moved
     * the subnet there ({@code ReplaceRouteTableAssociation}), and only that table knows the association to move
     * back.
     */
    private void foreignTables(List<Subnet> subnets, Map<String, ClusterInventory.Routing> routing) {
        if (subnets.isEmpty()) {
            return;
        }
        List<String> ids = subnets.stream().map(Subnet::subnetId).toList();
        ec2.describeRouteTablesPaginator(r -> r.filters(Filter.builder().name("association.subnet-id").values(ids)
                        .build()).maxResults(ROUTE_TABLE_PAGE)).routeTables()
                .forEach(t -> routing.putIfAbsent(t.routeTableId(), Ec2Mapping.routing(t)));
    }

    /** Names of all clusters that own at least one VPC or instance here (for the orphan check). */
    public Set<String> taggedClusters() {
        Filter tagged = Filter.builder().name("tag-key").values(ClusterTags.CLUSTER).build();
        return call("Describe tagged resources", () -> {
            Set<String> names = new TreeSet<>();
            ec2.describeVpcsPaginator(r -> r.filters(tagged).maxResults(PAGE)).vpcs()
                    .forEach(v -> names.add(tags(v.tags()).get(ClusterTags.CLUSTER)));
            ec2.describeInstancesPaginator(r -> r.filters(tagged, Filter.builder().name("instance-state-name")
                            .values("pending", "running", "stopping", "stopped", "shutting-down").build())
                    .maxResults(PAGE)).reservations()
                    .forEach(res -> res.instances().forEach(i -> names.add(tags(i.tags()).get(ClusterTags.CLUSTER))));
            return names;
        });
    }

    /**
     * The network interfaces that keep a subnet, security group or VPC in use, each described with what it belongs
     * to, for naming the blocker of a {@code DependencyViolation} (AWS, "DeleteSubnet": "you must terminate all
     * running instances in the subnet"; an interface of an instance, a NAT gateway or a load balancer is what does).
     *
     * @param filterName {@code subnet-id}, {@code group-id} or {@code vpc-id}
     */
    public List<String> networkInterfacesUsing(String filterName, String id) {
        return call("DescribeNetworkInterfaces " + filterName + "=" + id, () -> ec2.describeNetworkInterfacesPaginator(
                        r -> r.filters(Filter.builder().name(filterName).values(id).build()).maxResults(PAGE))
                .networkInterfaces().stream()
                .map(Ec2Mapping::describe).toList());
    }

    /** The region's ELBv2: the clusters' API load balancers. */
    public LoadBalancerCalls loadBalancers() {
        return loadBalancers;
    }

    /** VPCs, subnets, internet gateways, route tables and security groups of this region. */
    public NetworkCalls network() {
        return network;
    }

    /** Images, zones, instance-type offerings and key pairs of this region (what the preflight reads). */
    public RegionCatalog catalog() {
        return catalog;
    }

    // ---- Instances ------------------------------------------------------------------------------------------

    /** One RunInstances call with the spec's ClientToken: a repeated call returns the same instance. */
    public ObservedInstance runInstance(LaunchSpec spec) {
        List<String> named = new ArrayList<>(spec.securityGroupIds());
        named.add(spec.subnetId());
        ObservedInstance launched = call("RunInstances " + spec.label(), named, () -> observed(ec2.runInstances(r -> {
            r.imageId(spec.image().imageId()).instanceType(spec.instanceType()).minCount(1).maxCount(1)
                    .keyName(spec.keyName()).clientToken(spec.clientToken())
                    .placement(p -> p.availabilityZone(spec.availabilityZone()))
                    .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0)
                            .subnetId(spec.subnetId()).groups(spec.securityGroupIds())
                            .associatePublicIpAddress(spec.publicIp()).deleteOnTermination(true).build())
                    // IMDSv2 only: a pod that can reach 169.254.169.254 must not read credentials with one GET.
                    .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED).httpEndpoint("enabled")
                            .httpPutResponseHopLimit(spec.metadataHopLimit()))
                    .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(spec.image().rootDeviceName())
                            .ebs(e -> e.volumeSize(spec.rootVolume().sizeGib())
                                    .volumeType(spec.rootVolume().type()).encrypted(true)
                                    .deleteOnTermination(true)).build())
                    .tagSpecifications(spec(ResourceType.INSTANCE, spec.tags()),
                            spec(ResourceType.VOLUME, spec.tags()),
                            spec(ResourceType.NETWORK_INTERFACE, spec.tags()));
            if (spec.userData() != null) {
                r.userData(spec.userData());
            }
            if (spec.instanceProfile() != null) {
                String profile = spec.instanceProfile();
                r.iamInstanceProfile(p -> {
                    if (profile.startsWith("arn:")) {
                        p.arn(profile);
                    } else {
                        p.name(profile);
                    }
                });
            }
        }).instances().get(0)));
        consistency.created(launched.instanceId());
        return launched;
    }

    /** Blocks with the SDK's {@code instance-running} waiter; answers the running instances. */
    public List<ObservedInstance> waitUntilRunning(List<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return List.of();
        }
        return call("Wait running " + String.join(",", instanceIds), () -> {
            try (Ec2Waiter waiter = waiter()) {
                WaiterResponse<DescribeInstancesResponse> response =
                        waiter.waitUntilInstanceRunning(r -> r.instanceIds(instanceIds));
                DescribeInstancesResponse described = response.matched().response().orElseThrow(() ->
                        new Ec2Failure(FailureReason.TIMEOUT, null, "Wait running", "waiter ended without answer",
                                true, response.matched().exception().orElse(null)));
                List<ObservedInstance> running = new ArrayList<>();
                described.reservations().forEach(res -> res.instances().forEach(i -> running.add(observed(i))));
                return running;
            }
        });
    }

    public void terminate(List<String> instanceIds) {
        if (!instanceIds.isEmpty()) {
            call("TerminateInstances " + String.join(",", instanceIds), instanceIds,
                    () -> ec2.terminateInstances(r -> r.instanceIds(instanceIds)));
        }
    }

    /** Blocks with the SDK's {@code instance-terminated} waiter. */
    public void waitUntilTerminated(List<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return;
        }
        call("Wait terminated " + String.join(",", instanceIds), () -> {
            try (Ec2Waiter waiter = waiter()) {
                return waiter.waitUntilInstanceTerminated(r -> r.instanceIds(instanceIds));
            }
        });
    }

    /** Adds or overwrites tags on resources of any kind. */
    public void tag(List<String> resourceIds, Map<String, String> tags) {
        call("CreateTags " + String.join(",", resourceIds), resourceIds, () -> ec2.createTags(r -> r
                .resources(resourceIds)
                .tags(tagList(tags))));
    }

    // ---- Deletion ----------------------------------------------------------------------------------------

    public void deleteSecurityGroup(String groupId) {
        call("DeleteSecurityGroup " + groupId, List.of(groupId),
                () -> ec2.deleteSecurityGroup(r -> r.groupId(groupId)));
    }

    public void disassociateRouteTable(String associationId) {
        call("DisassociateRouteTable " + associationId,
                () -> ec2.disassociateRouteTable(r -> r.associationId(associationId)));
    }

    public void deleteRouteTable(String routeTableId) {
        call("DeleteRouteTable " + routeTableId, List.of(routeTableId),
                () -> ec2.deleteRouteTable(r -> r.routeTableId(routeTableId)));
    }

    public void deleteSubnet(String subnetId) {
        call("DeleteSubnet " + subnetId, List.of(subnetId), () -> ec2.deleteSubnet(r -> r.subnetId(subnetId)));
    }

    public void detachInternetGateway(String gatewayId, String vpcId) {
        call("DetachInternetGateway " + gatewayId, List.of(gatewayId, vpcId), () -> ec2.detachInternetGateway(r -> r
                .internetGatewayId(gatewayId)
                .vpcId(vpcId)));
    }

    public void deleteInternetGateway(String gatewayId) {
        call("DeleteInternetGateway " + gatewayId, List.of(gatewayId),
                () -> ec2.deleteInternetGateway(r -> r.internetGatewayId(gatewayId)));
    }

    public void deleteVpc(String vpcId) {
        call("DeleteVpc " + vpcId, List.of(vpcId), () -> ec2.deleteVpc(r -> r.vpcId(vpcId)));
    }

    // ---- Mapping ----------------------------------------------------------------------------------------

    private Ec2Waiter waiter() {
        return Ec2Waiter.builder().client(ec2).overrideConfiguration(WaiterOverrideConfiguration.builder()
                .maxAttempts(properties.waiterMaxAttempts())
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(properties.waiterPollInterval()))
                .build()).build();
    }

    private String created(String id) {
        return calls.created(id);
    }

    private <T> T call(String resource, List<String> names, Supplier<T> action) {
        return calls.call(resource, names, action);
    }

    private static <T> T call(String resource, Supplier<T> action) {
        return Ec2Calls.call(resource, action);
    }
}
