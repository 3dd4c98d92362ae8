package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.DriftDetected.DriftKind;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.IngressRule;

/**
 * One difference between a cluster's network and its desired shape, as the change that removes it. Resources are
 * named by {@link NetworkIds} key, so an action may use what an earlier action of the same plan created. Each action
 * also says, for a drift report, what differed and on which resource.
 */
public sealed interface NetworkAction {

    /** The drift kind this difference is reported as, once the cluster had converged. */
    DriftKind kind();

    /** The resource the difference is on (its id when it exists). */
    String resource(NetworkIds ids);

    /** What differed, e.g. {@code ingress tcp/6443 from sg-1 was missing in sg-2 (c-controllers)}. */
    String description(NetworkIds ids);

    record CreateVpc(String cidr) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return NetworkIds.VPC;
        }

        public String description(NetworkIds ids) {
            return "VPC " + cidr + " was missing";
        }
    }

    record CreateSubnet(DesiredNetwork.Subnet subnet) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return ids.name(subnet.key());
        }

        public String description(NetworkIds ids) {
            return subnet.role() + " subnet " + subnet.cidr() + " in " + subnet.zone() + " was missing";
        }
    }

    /** A public subnet that does not give instances a public address on launch. */
    record MapPublicIp(String subnet) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return ids.name(subnet);
        }

        public String description(NetworkIds ids) {
            return ids.name(subnet) + " did not map public addresses on launch";
        }
    }

    record CreateInternetGateway() implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return NetworkIds.INTERNET_GATEWAY;
        }

        public String description(NetworkIds ids) {
            return "the internet gateway was missing";
        }
    }

    record AttachInternetGateway() implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return ids.name(NetworkIds.INTERNET_GATEWAY);
        }

        public String description(NetworkIds ids) {
            return ids.name(NetworkIds.INTERNET_GATEWAY) + " was not attached to " + ids.name(NetworkIds.VPC);
        }
    }

    record CreateRouteTable(String name) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return name;
        }

        public String description(NetworkIds ids) {
            return "route table " + name + " was missing";
        }
    }

    /** {@code 0.0.0.0/0} → {@code target} (a key: the internet gateway or a zone's NAT gateway). */
    record CreateDefaultRoute(String table, String target) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.ROUTE_CHANGED;
        }

        public String resource(NetworkIds ids) {
            return ids.name(table);
        }

        public String description(NetworkIds ids) {
            return "route 0.0.0.0/0 → " + ids.name(target) + " was missing in " + ids.name(table) + " (" + table
                    + ")";
        }
    }

    /** The default route goes to {@code current} (elsewhere, or a deleted NAT gateway: a blackhole). */
    record ReplaceDefaultRoute(String table, String current, String target) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.ROUTE_CHANGED;
        }

        public String resource(NetworkIds ids) {
            return ids.name(table);
        }

        public String description(NetworkIds ids) {
            return "route 0.0.0.0/0 in " + ids.name(table) + " (" + table + ") went to " + current + " instead of "
                    + ids.name(target);
        }
    }

    record AssociateSubnet(String table, String subnet) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.ROUTE_ASSOCIATION_MISSING;
        }

        public String resource(NetworkIds ids) {
            return ids.name(subnet);
        }

        public String description(NetworkIds ids) {
            return ids.name(subnet) + " was not associated with " + ids.name(table) + " (" + table + ")";
        }
    }

    /**
     * The subnet is associated with {@code currentTable} (another table, e.g. by {@code ReplaceRouteTableAssociation}
     * outside Git) under {@code associationId}: it is moved back to {@code table}.
     */
    record ReplaceSubnetAssociation(String table, String subnet, String currentTable, String associationId)
            implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.ROUTE_ASSOCIATION_CHANGED;
        }

        public String resource(NetworkIds ids) {
            return ids.name(subnet);
        }

        public String description(NetworkIds ids) {
            return "route table of " + ids.name(subnet) + " was " + currentTable + " instead of " + ids.name(table)
                    + " (" + table + ")";
        }
    }

    /**
     * The NAT gateway of zone {@code zoneIndex} is {@code deleting}, {@code deleted} or {@code failed} and no other
     * serves the zone: it is replaced (its private routes follow as {@link ReplaceDefaultRoute}).
     */
    record ReplaceNatGateway(int zoneIndex, ClusterInventory.NatGatewayResource lost) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NAT_GATEWAY_LOST;
        }

        public String resource(NetworkIds ids) {
            return lost.id();
        }

        public String description(NetworkIds ids) {
            String what = "failed".equals(lost.state()) ? "failed (" + lost.failureCode() + ")"
                    : "was " + lost.state() + " outside Git";
            return "NAT gateway " + lost.id() + " in " + lost.subnetId() + " (" + NetworkIds.nat(zoneIndex) + ") "
                    + what;
        }
    }

    /** The Elastic IP {@code allocationId} of a lost NAT gateway is gone too: a new one is allocated. */
    record ReplaceElasticIp(int zoneIndex, String natGatewayId, String allocationId) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.ELASTIC_IP_RELEASED;
        }

        public String resource(NetworkIds ids) {
            return allocationId;
        }

        public String description(NetworkIds ids) {
            return "Elastic IP " + allocationId + " of NAT gateway " + natGatewayId + " (" + NetworkIds.nat(zoneIndex)
                    + ") was released outside Git";
        }
    }

    /** A rule of one of the cluster's security groups added or revoked: reported on that group. */
    sealed interface RuleChange extends NetworkAction {

        /** The group's key, e.g. {@code c-controllers}. */
        String group();

        default DriftKind kind() {
            return DriftKind.SECURITY_GROUP_RULE_CHANGED;
        }

        default String resource(NetworkIds ids) {
            return ids.name(group());
        }
    }

    record CreateSecurityGroup(String name, String description) implements NetworkAction {
        public DriftKind kind() {
            return DriftKind.NETWORK_RESOURCE_MISSING;
        }

        public String resource(NetworkIds ids) {
            return name;
        }

        public String description(NetworkIds ids) {
            return "security group " + name + " was missing";
        }
    }

    record AuthorizeIngress(String group, IngressRule rule) implements RuleChange {
        public String description(NetworkIds ids) {
            String source = rule.cidr() != null ? rule.cidr() : ids.name(rule.sourceGroupName());
            return "ingress " + IngressRule.describe(rule.protocol(), rule.fromPort(), rule.toPort()) + " from "
                    + source + " was missing in " + ids.name(group) + " (" + group + ")";
        }
    }

    /** A rule the group has and the desired set does not (an older layout's, or one added by hand). */
    record RevokeIngress(String group, IngressRule.Observed rule) implements RuleChange {
        public String description(NetworkIds ids) {
            return "ingress " + IngressRule.describe(rule.protocol(), rule.fromPort(), rule.toPort()) + " from "
                    + rule.source() + " in " + ids.name(group) + " (" + group + ") was not in Git";
        }
    }

    /** The group lacks {@code rule}, the outbound rule every owned group keeps ({@link DesiredNetwork#EGRESS}). */
    record AuthorizeEgress(String group, IngressRule.Observed rule) implements RuleChange {
        public String description(NetworkIds ids) {
            return "egress " + IngressRule.describe(rule.protocol(), rule.fromPort(), rule.toPort()) + " to "
                    + rule.source() + " was missing in " + ids.name(group) + " (" + group + ")";
        }
    }

    /** An outbound rule other than the default allow-all, which the product never adds. */
    record RevokeEgress(String group, IngressRule.Observed rule) implements RuleChange {
        public String description(NetworkIds ids) {
            return "egress " + IngressRule.describe(rule.protocol(), rule.fromPort(), rule.toPort()) + " to "
                    + rule.source() + " in " + ids.name(group) + " (" + group + ") was not the default allow-all";
        }
    }
}
