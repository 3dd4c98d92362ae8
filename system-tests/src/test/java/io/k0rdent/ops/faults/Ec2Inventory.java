package io.k0rdent.ops.faults;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What the EC2 emulator holds, read the way an operator would: with the AWS SDK against its endpoint. One row per
 * resource, with its {@code k0rdent.io/cluster} tag (null when untagged) and its VPC.
 */
record Ec2Inventory(List<Resource> resources) {

    static final String CLUSTER_TAG = "k0rdent.io/cluster";

    /**
     * @param kind    instance, vpc, subnet, security-group, internet-gateway, route-table, nat-gateway,
     *                elastic-ip
     * @param id      the resource id
     * @param cluster the cluster tag, or null
     * @param vpcId   its VPC (the VPC's own id for a VPC), or null
     * @param state   an instance's state name; "available" for the rest
     * @param tags    every tag
     * @param isDefault a VPC's default security group or main route table, which EC2 creates with the VPC
     * @param instanceType an instance's type; null for the rest
     */
    record Resource(String kind, String id, String cluster, String vpcId, String state, Map<String, String> tags,
                    boolean isDefault, String instanceType) {

        Resource withType(String type) {
            return new Resource(kind, id, cluster, vpcId, state, tags, isDefault, type);
        }

        boolean live() {
            // A NAT gateway on its way out (deleting), gone (deleted) or failed holds no address or interface.
            return !java.util.Set.of("terminated", "shutting-down", "deleting", "deleted", "failed").contains(state);
        }
    }

    static Ec2Inventory read(URI endpoint, String region) {
        List<Resource> all = new ArrayList<>();
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("faults", "faults")))
                .build()) {
            for (Reservation reservation : ec2.describeInstancesPaginator().reservations()) {
                for (Instance i : reservation.instances()) {
                    all.add(resource("instance", i.instanceId(), i.tags(), i.vpcId(), i.state().nameAsString(), false)
                            .withType(i.instanceTypeAsString()));
                }
            }
            ec2.describeVpcsPaginator().vpcs().forEach(v ->
                    all.add(resource("vpc", v.vpcId(), v.tags(), v.vpcId(), "available", false)));
            ec2.describeSubnetsPaginator().subnets().forEach(s ->
                    all.add(resource("subnet", s.subnetId(), s.tags(), s.vpcId(), "available", false)));
            ec2.describeSecurityGroupsPaginator().securityGroups().forEach(g ->
                    all.add(resource("security-group", g.groupId(), g.tags(), g.vpcId(), "available",
                            "default".equals(g.groupName()))));
            ec2.describeInternetGatewaysPaginator().internetGateways().forEach(g ->
                    all.add(resource("internet-gateway", g.internetGatewayId(), g.tags(),
                            g.attachments().isEmpty() ? null : g.attachments().get(0).vpcId(), "available", false)));
            ec2.describeRouteTablesPaginator().routeTables().forEach(t ->
                    all.add(resource("route-table", t.routeTableId(), t.tags(), t.vpcId(), "available",
                            t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))));
            ec2.describeNatGatewaysPaginator().natGateways().forEach(n ->
                    all.add(resource("nat-gateway", n.natGatewayId(), n.tags(), n.vpcId(), n.stateAsString(), false)));
            ec2.describeAddresses().addresses().forEach(a ->
                    all.add(resource("elastic-ip", a.allocationId(), a.tags(), null, "available", false)));
        }
        return new Ec2Inventory(List.copyOf(all));
    }

    private static Resource resource(String kind, String id, List<Tag> tags, String vpcId, String state, boolean isDefault) {
        Map<String, String> map = tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
        return new Resource(kind, id, map.get(CLUSTER_TAG), vpcId, state, Map.copyOf(map), isDefault, null);
    }

    List<Resource> liveOf(String cluster) {
        return resources.stream().filter(r -> cluster.equals(r.cluster()) && r.live()).toList();
    }

    List<Resource> liveInstancesOf(String cluster) {
        return liveOf(cluster).stream().filter(r -> r.kind().equals("instance")).toList();
    }
}
