package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.aws.IngressRule;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a cluster's network to its desired shape: VPC, one subnet per zone (at least two zones), for public
 * clusters an internet gateway with a default route, and the two security groups with their rules. Every resource
 * is first looked up by tag and only created when missing, so running it again (after a crash, or for every
 * generation) creates nothing twice.
 */
@Singleton
public class NetworkReconciler {

    private final ProvisionerProperties properties;

    public NetworkReconciler(ProvisionerProperties properties) {
        this.properties = properties;
    }

    public ClusterNetwork ensure(Ec2Gateway ec2, ClusterInventory inventory, ClusterDefinition definition,
                                 long generation) {
        String cluster = definition.name();
        boolean publicIp = definition.spec().networking().publicIp();
        String vpcId = inventory.vpc() != null ? inventory.vpc().id()
                : ec2.createVpc(definition.spec().networking().vpcCidr(), tags(cluster, generation, cluster));

        List<String> zones = zones(ec2);
        List<String> cidrs = NetworkLayout.subnetCidrs(definition.spec().networking().vpcCidr(), zones.size());
        List<String> subnetIds = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            String zone = zones.get(i);
            String existing = inventory.subnets().stream().filter(s -> zone.equals(s.availabilityZone()))
                    .map(ClusterInventory.Resource::id).findFirst().orElse(null);
            if (existing == null) {
                existing = ec2.createSubnet(vpcId, cidrs.get(i), zone, publicIp,
                        tags(cluster, generation, cluster + "-" + zone));
            }
            subnetIds.add(existing);
        }

        if (publicIp) {
            String gatewayId = inventory.internetGateway() != null ? inventory.internetGateway().id()
                    : ec2.createInternetGateway(tags(cluster, generation, cluster));
            if (inventory.internetGateway() == null || !inventory.internetGateway().attachments().contains(vpcId)) {
                ec2.attachInternetGateway(gatewayId, vpcId);
            }
            ClusterInventory.Resource table = inventory.routeTables().isEmpty() ? null
                    : inventory.routeTables().get(0);
            String tableId = table != null ? table.id()
                    : ec2.createRouteTable(vpcId, tags(cluster, generation, cluster + "-public"));
            // Compared with what EC2 holds, not inferred from what this run created: a pass that failed between
            // creating the table and routing or associating it is completed by the next one.
            ClusterInventory.Routing routing = inventory.routing(tableId);
            if (!gatewayId.equals(routing.defaultRouteTarget())) {
                ec2.addDefaultRoute(tableId, gatewayId);
            }
            subnetIds.stream().filter(subnet -> !routing.subnetAssociations().containsKey(subnet))
                    .forEach(subnet -> ec2.associateRouteTable(tableId, subnet));
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
        authorizeMissing(ec2, inventory, nodes, groups, NetworkLayout.nodesRules(cluster, properties.getAdminCidr()));
        authorizeMissing(ec2, inventory, controllers, groups,
                NetworkLayout.controllersRules(cluster, properties.getAdminCidr()));
        return new ClusterNetwork(vpcId, subnetIds, zones, groups);
    }

    private void authorizeMissing(Ec2Gateway ec2, ClusterInventory inventory, String group,
                                  Map<String, String> groupIds, List<IngressRule> wanted) {
        ClusterInventory.Resource existing = inventory.securityGroups().get(group);
        List<String> present = existing == null ? List.of() : existing.attachments();
        List<IngressRule> missing = wanted.stream().filter(rule -> !present.contains(rule.key(groupIds))).toList();
        ec2.authorizeIngress(groupIds.get(group), missing, groupIds);
    }

    private List<String> zones(Ec2Gateway ec2) {
        List<String> available = ec2.availabilityZones();
        if (available.size() < 2) {
            throw new Ec2Failure(ProvisioningFailed.FailureReason.INVALID_PARAMETER, null,
                    "DescribeAvailabilityZones " + ec2.region(),
                    "region " + ec2.region() + " has fewer than two availability zones", false, null);
        }
        int count = Math.max(2, Math.min(Math.min(properties.getZoneCount(), 4), available.size()));
        return available.subList(0, count);
    }

    private static Map<String, String> tags(String cluster, long generation, String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ClusterTags.CLUSTER, cluster);
        tags.put(ClusterTags.ROLE, ClusterTags.ROLE_NETWORK);
        tags.put(ClusterTags.GENERATION, Long.toString(generation));
        tags.put(ClusterTags.NAME, name);
        return tags;
    }
}
