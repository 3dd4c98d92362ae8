package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network a cluster should have, from its definition, {@link NetworkLayout} and the zones it uses: what
 * {@link NetworkPlanner} compares EC2's answer with.
 *
 * @param zones         the cluster's zones, in order (a subnet's index is its zone's index)
 * @param zoneRedundant private clusters: one NAT gateway per zone instead of one in the first zone
 * @param rules         security group name → its ingress rules, nodes group first
 */
public record DesiredNetwork(String cluster, String vpcCidr, boolean publicIp, boolean zoneRedundant,
                             List<String> zones, Map<String, List<IngressRule>> rules) {

    /**
     * The one outbound rule every owned group should have: AWS's default for a new group (all traffic to
     * 0.0.0.0/0). The product never narrows egress (nodes download k0s, reach each other and leave through NAT), so
     * this is not in the definition.
     */
    public static final IngressRule.Observed EGRESS = new IngressRule.Observed("-1", -1, -1, "0.0.0.0/0");

    public DesiredNetwork {
        zones = List.copyOf(zones);
        rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    }

    /** From a definition; {@code adminCidr} is where SSH and kubectl come from. */
    public static DesiredNetwork of(ClusterDefinition definition, List<String> zones, String adminCidr) {
        String cluster = definition.name();
        String vpcCidr = definition.spec().networking().vpcCidr();
        Map<String, List<IngressRule>> rules = new LinkedHashMap<>();
        rules.put(NetworkLayout.nodesGroup(cluster), NetworkLayout.nodesRules(cluster, adminCidr));
        rules.put(NetworkLayout.controllersGroup(cluster),
                NetworkLayout.controllersRules(cluster, adminCidr, vpcCidr));
        return new DesiredNetwork(cluster, vpcCidr, definition.spec().networking().publicIp(),
                definition.spec().networking().zoneRedundant(), zones, rules);
    }

    /** One subnet: its role ({@link NetworkLayout#NODES} or {@link NetworkLayout#EDGE}), zone and block. */
    public record Subnet(String role, int zoneIndex, String zone, String cidr, boolean mapPublicIp) {

        /** The key {@link NetworkIds} knows it by. */
        public String key() {
            return NetworkIds.subnet(role, zoneIndex);
        }

        public String name(String cluster) {
            return cluster + "-" + role + "-" + zone;
        }
    }

    /**
     * One route table: its default route's target ({@link NetworkIds#INTERNET_GATEWAY} or a
     * {@link NetworkIds#nat NAT gateway key}) and the subnets (keys) it routes.
     */
    public record RouteTable(String name, String target, List<String> subnets) {

        public RouteTable {
            subnets = List.copyOf(subnets);
        }
    }

    /** Nodes subnets in zone order, then (private clusters) edge subnets. */
    public List<Subnet> subnets() {
        List<Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            subnets.add(new Subnet(NetworkLayout.NODES, i, zones.get(i), NetworkLayout.nodesSubnetCidr(vpcCidr, i),
                    publicIp));
        }
        if (!publicIp) {
            for (int i = 0; i < zones.size(); i++) {
                subnets.add(new Subnet(NetworkLayout.EDGE, i, zones.get(i), NetworkLayout.edgeSubnetCidr(vpcCidr, i),
                        false));
            }
        }
        return subnets;
    }

    /**
     * The public table (its default route to the internet gateway, for the nodes subnets of a public cluster or the
     * edge subnets of a private one), then for private clusters one table per zone whose default route goes to that
     * zone's NAT gateway (or the first zone's).
     */
    public List<RouteTable> routeTables() {
        List<RouteTable> tables = new ArrayList<>();
        String publicRole = publicIp ? NetworkLayout.NODES : NetworkLayout.EDGE;
        List<String> publicSubnets = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            publicSubnets.add(NetworkIds.subnet(publicRole, i));
        }
        tables.add(new RouteTable(publicTable(), NetworkIds.INTERNET_GATEWAY, publicSubnets));
        if (!publicIp) {
            for (int i = 0; i < zones.size(); i++) {
                tables.add(new RouteTable(cluster + "-private-" + zones.get(i), NetworkIds.nat(natZone(i)),
                        List.of(NetworkIds.subnet(NetworkLayout.NODES, i))));
            }
        }
        return tables;
    }

    public String publicTable() {
        return cluster + "-public";
    }

    /** The zone index whose NAT gateway serves zone {@code i}. */
    public int natZone(int i) {
        return zoneRedundant ? i : 0;
    }
}
