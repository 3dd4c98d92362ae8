package io.k0rdent.ops.provisioner.aws;

import java.util.List;
import java.util.Map;

/**
 * Every resource tagged for one cluster, as found in EC2 at one moment. Terminated instances are included (they
 * stay visible for a while in EC2), so callers filter by state.
 *
 * @param vpc            the VPC, or {@code null} when there is none
 * @param routeTables    route tables (their attachments are the association ids of their subnets)
 * @param securityGroups group name → group (its attachments are its ingress rules as {@link IngressRule#key()})
 * @param instances      all instances tagged for the cluster, in any state
 * @param routing        route table id → what it routes and for which subnets, as EC2 holds it now; also the tables
 *                       that are not the cluster's but hold one of its subnets
 * @param publicSubnets  ids of the subnets that give instances launched there a public address
 * @param securityGroupEgress group name → its egress rules as {@link IngressRule#key()} (the peer is the
 *                       destination); a group missing here was not described with its rules, so its egress is not
 *                       compared
 */
public record ClusterInventory(
        String cluster,
        Resource vpc,
        List<Resource> subnets,
        Resource internetGateway,
        List<Resource> routeTables,
        Map<String, Resource> securityGroups,
        List<ObservedInstance> instances,
        Map<String, Routing> routing,
        List<NatGatewayResource> natGateways,
        List<Resource> addresses,
        java.util.Set<String> publicSubnets,
        Map<String, List<String>> securityGroupEgress) {

    public ClusterInventory {
        securityGroupEgress = securityGroupEgress == null ? Map.of() : Map.copyOf(securityGroupEgress);
        publicSubnets = publicSubnets == null ? java.util.Set.of() : java.util.Set.copyOf(publicSubnets);
        routing = routing == null ? Map.of() : Map.copyOf(routing);
        natGateways = natGateways == null ? List.of() : List.copyOf(natGateways);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        subnets = List.copyOf(subnets);
        routeTables = List.copyOf(routeTables);
        securityGroups = Map.copyOf(securityGroups);
        instances = List.copyOf(instances);
    }

    /** A tagged resource: its id, tags and kind-specific details. */
    public record Resource(String id, Map<String, String> tags, String availabilityZone, String cidr,
                           List<String> attachments) {

        public Resource {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    /** An inventory without routing details (enough for deletion, which only needs the association ids). */
    public ClusterInventory(String cluster, Resource vpc, List<Resource> subnets, Resource internetGateway,
                            List<Resource> routeTables, Map<String, Resource> securityGroups,
                            List<ObservedInstance> instances) {
        this(cluster, vpc, subnets, internetGateway, routeTables, securityGroups, instances, Map.of(), List.of(),
                List.of(), null, null);
    }

    /** An inventory without the subnets' public addressing (enough for deletion). */
    public ClusterInventory(String cluster, Resource vpc, List<Resource> subnets, Resource internetGateway,
                            List<Resource> routeTables, Map<String, Resource> securityGroups,
                            List<ObservedInstance> instances, Map<String, Routing> routing,
                            List<NatGatewayResource> natGateways, List<Resource> addresses) {
        this(cluster, vpc, subnets, internetGateway, routeTables, securityGroups, instances, routing, natGateways,
                addresses, null, null);
    }

    /** An inventory whose security groups' egress rules were not read (nothing to compare them with). */
    public ClusterInventory(String cluster, Resource vpc, List<Resource> subnets, Resource internetGateway,
                            List<Resource> routeTables, Map<String, Resource> securityGroups,
                            List<ObservedInstance> instances, Map<String, Routing> routing,
                            List<NatGatewayResource> natGateways, List<Resource> addresses,
                            java.util.Set<String> publicSubnets) {
        this(cluster, vpc, subnets, internetGateway, routeTables, securityGroups, instances, routing, natGateways,
                addresses, publicSubnets, null);
    }

    /** An inventory without egress (clusters whose nodes all have public addresses). */
    public ClusterInventory(String cluster, Resource vpc, List<Resource> subnets, Resource internetGateway,
                            List<Resource> routeTables, Map<String, Resource> securityGroups,
                            List<ObservedInstance> instances, Map<String, Routing> routing) {
        this(cluster, vpc, subnets, internetGateway, routeTables, securityGroups, instances, routing, List.of(),
                List.of(), null, null);
    }

    /**
     * A NAT gateway as EC2 reports it.
     *
     * @param state        {@code pending}, {@code available}, {@code failed}, {@code deleting} or {@code deleted}
     * @param allocationId its Elastic IP's allocation id, or {@code null}
     * @param failureCode  why it failed ({@code failed} only)
     */
    public record NatGatewayResource(String id, String subnetId, String state, String allocationId,
                                     String failureCode, Map<String, String> tags) {

        public NatGatewayResource {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }

        /** Pending or available: a gateway that is or will be routing. */
        public boolean isUsable() {
            return "pending".equals(state) || "available".equals(state);
        }

        /** Anything but deleted: it still has to be deleted (or its deletion waited for). */
        public boolean isPresent() {
            return !"deleted".equals(state);
        }
    }

    /** NAT gateways that are not deleted. */
    public List<NatGatewayResource> presentNatGateways() {
        return natGateways.stream().filter(NatGatewayResource::isPresent).toList();
    }

    /**
     * One route table's routes and associations.
     *
     * @param subnetAssociations subnet id → association id, for every subnet explicitly associated
     * @param defaultRouteTarget the gateway (or NAT gateway) {@code 0.0.0.0/0} goes to, or {@code null}
     */
    public record Routing(Map<String, String> subnetAssociations, String defaultRouteTarget) {

        public static final Routing NONE = new Routing(Map.of(), null);

        public Routing {
            subnetAssociations = Map.copyOf(subnetAssociations);
        }
    }

    /** What EC2 holds for route table {@code id}: nothing for a table just created. */
    public Routing routing(String id) {
        return routing.getOrDefault(id, Routing.NONE);
    }

    /** Instances that are pending or running. */
    public List<ObservedInstance> liveInstances() {
        return instances.stream().filter(ObservedInstance::isLive).toList();
    }

    /** Whether nothing tagged for the cluster is left (terminated instances do not count). */
    public boolean isEmpty() {
        return vpc == null && subnets.isEmpty() && internetGateway == null && routeTables.isEmpty()
                && securityGroups.isEmpty() && instances.stream().allMatch(i -> "terminated".equals(i.state()))
                && presentNatGateways().isEmpty() && addresses.isEmpty();
    }

    /** The VPC's tag {@code key}, or {@code null}. */
    public String vpcTag(String key) {
        return vpc == null ? null : vpc.tags().get(key);
    }
}
