package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Observed network + desired network → the actions that make the first the second. Pure: every decision about a
 * cluster's VPC, subnets, internet gateway, route tables (default route and associations) and security groups (each
 * ingress rule, and each egress rule against AWS's default allow-all) is made here from what EC2 reported, never
 * from what an earlier run did, so a pass interrupted between any two calls (an API failure, a crash) is completed by
 * the next one, and the drift pass reports exactly these differences. NAT gateways and their addresses are {@link EgressReconciler}'s (they need tokens and waits);
 * the planner only routes private tables to them.
 *
 * <p>Order: VPC, subnets, internet gateway and its attachment, route tables (public first: a NAT gateway needs the
 * gateway attached and its subnet routed out), then security groups and their rules.
 */
public final class NetworkPlanner {

    private NetworkPlanner() {
    }

    public static List<NetworkAction> plan(ClusterInventory observed, DesiredNetwork desired) {
        NetworkIds ids = NetworkIds.observed(observed, desired);
        List<NetworkAction> actions = new ArrayList<>();
        if (ids.get(NetworkIds.VPC) == null) {
            actions.add(new NetworkAction.CreateVpc(desired.vpcCidr()));
        }
        for (DesiredNetwork.Subnet subnet : desired.subnets()) {
            String id = ids.get(subnet.key());
            if (id == null) {
                actions.add(new NetworkAction.CreateSubnet(subnet));
            } else if (subnet.mapPublicIp() && !observed.publicSubnets().contains(id)) {
                actions.add(new NetworkAction.MapPublicIp(subnet.key()));
            }
        }
        ClusterInventory.Resource gateway = observed.internetGateway();
        if (gateway == null) {
            actions.add(new NetworkAction.CreateInternetGateway());
        }
        if (gateway == null || ids.get(NetworkIds.VPC) == null
                || !gateway.attachments().contains(ids.get(NetworkIds.VPC))) {
            actions.add(new NetworkAction.AttachInternetGateway());
        }
        boolean egressChecked = false;
        for (DesiredNetwork.RouteTable table : desired.routeTables()) {
            if (!egressChecked && NetworkIds.isNat(table.target())) {
                egress(observed, desired, ids, actions);
                egressChecked = true;
            }
            routeTable(observed, desired, ids, table, actions);
        }
        for (Map.Entry<String, List<IngressRule>> group : desired.rules().entrySet()) {
            securityGroup(observed, desired, ids, group.getKey(), group.getValue(), actions);
        }
        return actions;
    }

    /**
     * A zone whose NAT gateway EC2 still lists as {@code deleting}, {@code deleted} or {@code failed}, with none usable
     * in its edge subnet: the gateway was lost (deleted, or failed, outside Git), and with it perhaps its Elastic IP
     * (AWS releases an address only once its gateway is deleted). Before the first private table, whose route then
     * goes to the replacement. A zone that never had a gateway is not here: {@link EgressReconciler} creates it.
     */
    private static void egress(ClusterInventory observed, DesiredNetwork desired, NetworkIds ids,
                               List<NetworkAction> actions) {
        for (int i = 0; i < (desired.zoneRedundant() ? desired.zones().size() : 1); i++) {
            String edge = ids.get(NetworkIds.subnet(NetworkLayout.EDGE, i));
            if (edge == null || ids.get(NetworkIds.nat(i)) != null) {
                continue;
            }
            Set<String> addresses = new java.util.HashSet<>();
            observed.addresses().forEach(a -> addresses.add(a.id()));
            for (ClusterInventory.NatGatewayResource lost : observed.natGateways()) {
                if (!edge.equals(lost.subnetId()) || lost.isUsable()) {
                    continue;
                }
                actions.add(new NetworkAction.ReplaceNatGateway(i, lost));
                if (lost.allocationId() != null && !addresses.contains(lost.allocationId())) {
                    actions.add(new NetworkAction.ReplaceElasticIp(i, lost.id(), lost.allocationId()));
                }
            }
        }
    }

    private static void routeTable(ClusterInventory observed, DesiredNetwork desired, NetworkIds ids,
                                   DesiredNetwork.RouteTable table, List<NetworkAction> actions) {
        String tableId = ids.get(table.name());
        if (tableId == null) {
            actions.add(new NetworkAction.CreateRouteTable(table.name()));
        }
        ClusterInventory.Routing routing = tableId == null ? ClusterInventory.Routing.NONE
                : observed.routing(tableId);
        String current = routing.defaultRouteTarget();
        if (current == null) {
            actions.add(new NetworkAction.CreateDefaultRoute(table.name(), table.target()));
        } else if (!routesTo(observed, desired, ids, current, table.target())) {
            actions.add(new NetworkAction.ReplaceDefaultRoute(table.name(), current, table.target()));
        }
        for (String subnet : table.subnets()) {
            String subnetId = ids.get(subnet);
            if (subnetId != null && routing.subnetAssociations().containsKey(subnetId)) {
                continue;
            }
            Map.Entry<String, ClusterInventory.Routing> elsewhere = subnetId == null ? null
                    : associatedElsewhere(observed, tableId, subnetId);
            if (elsewhere == null) {
                actions.add(new NetworkAction.AssociateSubnet(table.name(), subnet));
            } else {
                // EC2 keeps one explicit association per subnet: it is moved back, not added.
                actions.add(new NetworkAction.ReplaceSubnetAssociation(table.name(), subnet, elsewhere.getKey(),
                        elsewhere.getValue().subnetAssociations().get(subnetId)));
            }
        }
    }

    /** The other route table (the cluster's or not) that {@code subnetId} is associated with, if any. */
    private static Map.Entry<String, ClusterInventory.Routing> associatedElsewhere(ClusterInventory observed,
                                                                                   String tableId, String subnetId) {
        return observed.routing().entrySet().stream()
                .filter(e -> !e.getKey().equals(tableId) && e.getValue().subnetAssociations().containsKey(subnetId))
                .findFirst().orElse(null);
    }

    /**
     * Whether {@code current} is the wanted target: the internet gateway itself, or a pending or available NAT
     * gateway in the edge subnet of the zone that should serve the table (a route to a deleted one is a blackhole).
     */
    private static boolean routesTo(ClusterInventory observed, DesiredNetwork desired, NetworkIds ids,
                                    String current, String target) {
        if (!NetworkIds.isNat(target)) {
            return current.equals(ids.get(target));
        }
        String edge = ids.get(NetworkIds.subnet(NetworkLayout.EDGE, NetworkIds.natZone(target)));
        return edge != null && observed.natGateways().stream()
                .anyMatch(n -> n.id().equals(current) && n.isUsable() && edge.equals(n.subnetId()));
    }

    private static void securityGroup(ClusterInventory observed, DesiredNetwork desired, NetworkIds ids,
                                      String name, List<IngressRule> wanted, List<NetworkAction> actions) {
        ClusterInventory.Resource group = observed.securityGroups().get(name);
        if (group == null) {
            boolean nodes = name.equals(NetworkLayout.nodesGroup(desired.cluster()));
            actions.add(new NetworkAction.CreateSecurityGroup(name, "k0s " + (nodes ? "nodes" : "controllers")
                    + " of " + desired.cluster()));
            wanted.forEach(rule -> actions.add(new NetworkAction.AuthorizeIngress(name, rule)));
            return;
        }
        Map<String, String> groupIds = new java.util.HashMap<>();
        desired.rules().keySet().forEach(g -> {
            if (ids.get(g) != null) {
                groupIds.put(g, ids.get(g));
            }
        });
        Set<String> present = new LinkedHashSet<>(group.attachments());
        Set<String> wantedKeys = new LinkedHashSet<>();
        for (IngressRule rule : wanted) {
            // A rule naming a group that does not exist yet cannot be present.
            boolean resolvable = rule.cidr() != null || groupIds.containsKey(rule.sourceGroupName());
            String key = resolvable ? rule.key(groupIds) : null;
            if (key != null) {
                wantedKeys.add(key);
            }
            if (key == null || !present.contains(key)) {
                actions.add(new NetworkAction.AuthorizeIngress(name, rule));
            }
        }
        present.stream().filter(key -> !wantedKeys.contains(key))
                .forEach(key -> actions.add(new NetworkAction.RevokeIngress(name, IngressRule.Observed.parse(key))));
        egress(observed.securityGroupEgress().get(name), name, actions);
    }

    /**
     * An owned group's outbound rules against {@link DesiredNetwork#EGRESS}, rule by rule: the default put back when
     * it is missing, any other rule revoked (the group is the cluster's, as for ingress rules not in Git).
     * {@code null}: not observed, nothing to compare.
     */
    private static void egress(List<String> present, String name, List<NetworkAction> actions) {
        if (present == null) {
            return;
        }
        String wanted = DesiredNetwork.EGRESS.key();
        if (!present.contains(wanted)) {
            actions.add(new NetworkAction.AuthorizeEgress(name, DesiredNetwork.EGRESS));
        }
        present.stream().filter(key -> !key.equals(wanted)).distinct()
                .forEach(key -> actions.add(new NetworkAction.RevokeEgress(name, IngressRule.Observed.parse(key))));
    }
}
