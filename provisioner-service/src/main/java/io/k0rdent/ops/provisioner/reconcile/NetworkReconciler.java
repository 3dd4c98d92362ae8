package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.aws.IngressRule;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Brings a cluster's network to its desired shape ({@link NetworkLayout}): VPC; per zone a nodes subnet (and, for
 * private clusters, an edge subnet); an internet gateway with a public route table for the public subnets; for private
 * clusters NAT egress ({@link EgressReconciler}); the two security groups with their rules. Every resource is first
 * looked up by tag and only created when missing, so running it again (after a crash, or for every generation)
 * creates nothing twice.
 */
@Singleton
public class NetworkReconciler {

    /** Tag naming a subnet's role: {@link NetworkLayout#NODES} or {@link NetworkLayout#EDGE}. */
    public static final String SUBNET_ROLE = "k0rdent.io/subnet-role";

    private final ProvisionerProperties properties;
    private final EgressReconciler egress;

    public NetworkReconciler(ProvisionerProperties properties, EgressReconciler egress) {
        this.properties = properties;
        this.egress = egress;
    }

    public ClusterNetwork ensure(Ec2Gateway ec2, ClusterInventory inventory, ClusterDefinition definition,
                                 long generation, List<String> zones) {
        String cluster = definition.name();
        boolean publicIp = definition.spec().networking().publicIp();
        String vpcCidr = definition.spec().networking().vpcCidr();
        String vpcId = inventory.vpc() != null ? inventory.vpc().id()
                : ec2.createVpc(vpcCidr, tags(cluster, generation, cluster));

        List<String> nodeSubnets = subnets(ec2, inventory, cluster, generation, vpcId, zones, NetworkLayout.NODES,
                publicIp, i -> NetworkLayout.nodesSubnetCidr(vpcCidr, i));
        List<String> edgeSubnets = publicIp ? List.of()
                : subnets(ec2, inventory, cluster, generation, vpcId, zones, NetworkLayout.EDGE, false,
                        i -> NetworkLayout.edgeSubnetCidr(vpcCidr, i));

        String gatewayId = inventory.internetGateway() != null ? inventory.internetGateway().id()
                : ec2.createInternetGateway(tags(cluster, generation, cluster));
        if (inventory.internetGateway() == null || !inventory.internetGateway().attachments().contains(vpcId)) {
            ec2.attachInternetGateway(gatewayId, vpcId);
        }
        EgressReconciler.RouteTables tables = routeTables(ec2, inventory, vpcId);
        String publicTable = tables.ensure(cluster + "-public", tags(cluster, generation, cluster + "-public"));
        // Compared with what EC2 holds, not inferred from what this run created: a pass that failed between
        // creating the table and routing or associating it is completed by the next one.
        if (!gatewayId.equals(inventory.routing(publicTable).defaultRouteTarget())) {
            ec2.addDefaultRoute(publicTable, gatewayId);
        }
        (publicIp ? nodeSubnets : edgeSubnets).forEach(subnet -> tables.associate(publicTable, subnet));
        if (!publicIp) {
            egress.ensure(ec2.egress(), inventory, cluster, generation,
                    definition.spec().networking().zoneRedundant(), zones, nodeSubnets, edgeSubnets, tables);
        }

        Map<String, String> groups = new LinkedHashMap<>();
        String nodes = NetworkLayout.nodesGroup(cluster);
        String controllers = NetworkLayout.controllersGroup(cluster);
        for (String name : List.of(nodes, controllers)) {
            ClusterInventory.Resource group = inventory.securityGroups().get(name);
            groups.put(name, group != null ? group.id()
                    : ec2.createSecurityGroup(vpcId, name, "k0s " + (name.equals(nodes) ? "nodes" : "controllers")
                            + " of " + cluster, tags(cluster, generation, name)));
        }
        String adminCidr = properties.requireAdminCidr();
        authorizeMissing(ec2, inventory, nodes, groups, NetworkLayout.nodesRules(cluster, adminCidr));
        authorizeMissing(ec2, inventory, controllers, groups,
                NetworkLayout.controllersRules(cluster, adminCidr, vpcCidr));
        return new ClusterNetwork(vpcId, nodeSubnets, zones, groups);
    }

    /** One subnet of {@code role} per zone, found by role and zone (untagged subnets of older clusters are nodes). */
    private static List<String> subnets(Ec2Gateway ec2, ClusterInventory inventory, String cluster, long generation,
                                        String vpcId, List<String> zones, String role, boolean mapPublicIp,
                                        Function<Integer, String> cidr) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            String zone = zones.get(i);
            String existing = inventory.subnets().stream()
                    .filter(s -> zone.equals(s.availabilityZone())
                            && role.equals(s.tags().getOrDefault(SUBNET_ROLE, NetworkLayout.NODES)))
                    .map(ClusterInventory.Resource::id).findFirst().orElse(null);
            if (existing == null) {
                Map<String, String> tags = tags(cluster, generation, cluster + "-" + role + "-" + zone);
                tags.put(SUBNET_ROLE, role);
                existing = ec2.createSubnet(vpcId, cidr.apply(i), zone, mapPublicIp, tags);
            }
            ids.add(existing);
        }
        return ids;
    }

    private static EgressReconciler.RouteTables routeTables(Ec2Gateway ec2, ClusterInventory inventory,
                                                            String vpcId) {
        Map<String, String> byName = new HashMap<>();
        for (ClusterInventory.Resource table : inventory.routeTables()) {
            byName.putIfAbsent(table.tags().getOrDefault(ClusterTags.NAME, ""), table.id());
        }
        return new EgressReconciler.RouteTables() {
            @Override
            public String ensure(String name, Map<String, String> tags) {
                return byName.computeIfAbsent(name, n -> ec2.createRouteTable(vpcId, tags));
            }

            @Override
            public void associate(String table, String subnet) {
                if (!inventory.routing(table).subnetAssociations().containsKey(subnet)) {
                    ec2.associateRouteTable(table, subnet);
                }
            }
        };
    }

    private void authorizeMissing(Ec2Gateway ec2, ClusterInventory inventory, String group,
                                  Map<String, String> groupIds, List<IngressRule> wanted) {
        ClusterInventory.Resource existing = inventory.securityGroups().get(group);
        List<String> present = existing == null ? List.of() : existing.attachments();
        List<IngressRule> missing = wanted.stream().filter(rule -> !present.contains(rule.key(groupIds))).toList();
        ec2.authorizeIngress(groupIds.get(group), missing, groupIds);
    }

    /**
     * The zones a cluster uses: 2..3 Availability Zones of the region (never Local Zones) that offer every instance
     * type the cluster asks for, in name order. A cluster that already has nodes subnets keeps their zones.
     */
    public List<String> zones(Ec2Gateway ec2, ClusterInventory inventory, List<String> instanceTypes) {
        List<String> existing = inventory.subnets().stream()
                .filter(s -> NetworkLayout.NODES.equals(s.tags().getOrDefault(SUBNET_ROLE, NetworkLayout.NODES)))
                .map(ClusterInventory.Resource::availabilityZone).distinct().sorted().toList();
        if (!existing.isEmpty()) {
            return existing;
        }
        List<String> available = ec2.catalog().availabilityZones();
        List<String> offering = ec2.catalog().zonesOffering(instanceTypes, available);
        if (offering.size() < 2) {
            throw new Ec2Failure(ProvisioningFailed.FailureReason.INVALID_PARAMETER, "Unsupported",
                    "DescribeInstanceTypeOfferings " + ec2.region(),
                    "region " + ec2.region() + " has " + (available.size() < 2 ? "fewer than two availability zones"
                            : "fewer than two availability zones offering " + String.join(" and ", instanceTypes)
                            + " (offered in: " + String.join(", ", offering) + ")"), false, null);
        }
        int count = Math.max(2, Math.min(Math.min(properties.getZoneCount(), NetworkLayout.MAX_ZONES),
                offering.size()));
        return offering.subList(0, count);
    }

    private static Map<String, String> tags(String cluster, long generation, String name) {
        return EgressReconciler.tags(cluster, generation, name);
    }
}
