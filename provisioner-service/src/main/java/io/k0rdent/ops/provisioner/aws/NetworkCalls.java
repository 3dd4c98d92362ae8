package io.k0rdent.ops.provisioner.aws;

import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * A cluster's network in one region: VPCs, subnets, internet gateways, route tables with their public default
 * routes and subnet associations, and security groups with their ingress rules (and egress rules, which only drift
 * repairs touch). Private egress (NAT gateways,
 * Elastic IPs) is {@link EgressCalls}'; deletion stays in {@link Ec2Gateway}.
 */
public class NetworkCalls {

    private final Ec2Client ec2;
    private final Ec2Calls calls;

    NetworkCalls(Ec2Client ec2, Ec2Calls calls) {
        this.ec2 = ec2;
        this.calls = calls;
    }

    public String createVpc(String cidr, Map<String, String> tags) {
        return calls.created(Ec2Calls.call("CreateVpc " + cidr, () -> ec2.createVpc(r -> r.cidrBlock(cidr)
                .tagSpecifications(spec(ResourceType.VPC, tags))).vpc().vpcId()));
    }

    public String createSubnet(String vpcId, String cidr, String zone, boolean mapPublicIp, Map<String, String> tags) {
        String subnetId = calls.created(calls.call("CreateSubnet " + cidr + " in " + zone, List.of(vpcId),
                () -> ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)
                        .tagSpecifications(spec(ResourceType.SUBNET, tags))).subnet().subnetId()));
        if (mapPublicIp) {
            mapPublicIpOnLaunch(subnetId);
        }
        return subnetId;
    }

    public String createInternetGateway(Map<String, String> tags) {
        return calls.created(Ec2Calls.call("CreateInternetGateway", () -> ec2.createInternetGateway(r -> r
                .tagSpecifications(spec(ResourceType.INTERNET_GATEWAY, tags))).internetGateway().internetGatewayId()));
    }

    public void attachInternetGateway(String gatewayId, String vpcId) {
        calls.call("AttachInternetGateway " + gatewayId, List.of(gatewayId, vpcId), () -> ec2.attachInternetGateway(
                r -> r.internetGatewayId(gatewayId)
                .vpcId(vpcId)));
    }

    public String createRouteTable(String vpcId, Map<String, String> tags) {
        return calls.created(calls.call("CreateRouteTable " + vpcId, List.of(vpcId), () -> ec2.createRouteTable(r -> r
                .vpcId(vpcId).tagSpecifications(spec(ResourceType.ROUTE_TABLE, tags))).routeTable().routeTableId()));
    }

    /** {@code 0.0.0.0/0} via the internet gateway; EC2 accepts the same route again, so this is idempotent. */
    public void addDefaultRoute(String routeTableId, String gatewayId) {
        calls.call("CreateRoute " + routeTableId, List.of(routeTableId, gatewayId), () -> ec2.createRoute(r -> r
                .routeTableId(routeTableId)
                .destinationCidrBlock("0.0.0.0/0").gatewayId(gatewayId)));
    }

    public void associateRouteTable(String routeTableId, String subnetId) {
        calls.call("AssociateRouteTable " + routeTableId, List.of(routeTableId, subnetId),
                () -> ec2.associateRouteTable(r -> r.routeTableId(routeTableId)
                .subnetId(subnetId)));
    }

    /** Moves the subnet of {@code associationId} (associated with another table) to {@code routeTableId}. */
    public void replaceRouteTableAssociation(String associationId, String routeTableId) {
        calls.call("ReplaceRouteTableAssociation " + associationId, List.of(routeTableId),
                () -> ec2.replaceRouteTableAssociation(r -> r.associationId(associationId)
                        .routeTableId(routeTableId)));
    }

    /** Instances launched into the subnet get a public address (a public cluster's nodes subnets). */
    public void mapPublicIpOnLaunch(String subnetId) {
        calls.call("ModifySubnetAttribute " + subnetId, List.of(subnetId), () -> ec2.modifySubnetAttribute(r -> r
                .subnetId(subnetId)
                .mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(true).build())));
    }

    /** Points the table's existing {@code 0.0.0.0/0} at the internet gateway ({@code ReplaceRoute}). */
    public void replaceDefaultRoute(String routeTableId, String gatewayId) {
        calls.call("ReplaceRoute " + routeTableId, List.of(routeTableId, gatewayId), () -> ec2.replaceRoute(r -> r
                .routeTableId(routeTableId)
                .destinationCidrBlock("0.0.0.0/0").gatewayId(gatewayId)));
    }

    /** Removes ingress rules (one call) that the group has and its desired set does not. */
    public void revokeIngress(String groupId, List<IngressRule.Observed> rules) {
        if (rules.isEmpty()) {
            return;
        }
        List<IpPermission> permissions = rules.stream().map(Ec2Mapping::permission).toList();
        calls.call("RevokeSecurityGroupIngress " + groupId, List.of(groupId), () -> ec2.revokeSecurityGroupIngress(
                r -> r.groupId(groupId).ipPermissions(permissions)));
    }

    public String createSecurityGroup(String vpcId, String name, String description, Map<String, String> tags) {
        return calls.created(calls.call("CreateSecurityGroup " + name, List.of(vpcId), () -> ec2.createSecurityGroup(
                r -> r.vpcId(vpcId).groupName(name).description(description)
                .tagSpecifications(spec(ResourceType.SECURITY_GROUP, tags))).groupId()));
    }

    /** Adds the rules (one call); the caller passes only rules the group does not have yet. */
    public void authorizeIngress(String groupId, List<IngressRule> rules, Map<String, String> groupIdsByName) {
        if (rules.isEmpty()) {
            return;
        }
        List<IpPermission> permissions = rules.stream().map(rule -> {
            IpPermission.Builder permission = IpPermission.builder().ipProtocol(rule.protocol());
            if (rule.hasPorts()) {
                permission.fromPort(rule.fromPort()).toPort(rule.toPort());
            }
            if (rule.cidr() != null) {
                permission.ipRanges(IpRange.builder().cidrIp(rule.cidr()).build());
            } else {
                permission.userIdGroupPairs(UserIdGroupPair.builder()
                        .groupId(groupIdsByName.get(rule.sourceGroupName())).build());
            }
            return permission.build();
        }).toList();
        List<String> named = new ArrayList<>(groupIdsByName.values());
        named.add(groupId);
        calls.call("AuthorizeSecurityGroupIngress " + groupId, named, () -> ec2.authorizeSecurityGroupIngress(
                r -> r.groupId(groupId).ipPermissions(permissions)));
    }

    /**
     * Adds outbound rules (one call). The product never narrows AWS's default allow-all, so this only puts the
     * default back when the drift pass finds it revoked; the caller passes only rules the group does not have.
     */
    public void authorizeEgress(String groupId, List<IngressRule.Observed> rules) {
        if (rules.isEmpty()) {
            return;
        }
        List<IpPermission> permissions = rules.stream().map(Ec2Mapping::permission).toList();
        calls.call("AuthorizeSecurityGroupEgress " + groupId, List.of(groupId), () -> ec2.authorizeSecurityGroupEgress(
                r -> r.groupId(groupId).ipPermissions(permissions)));
    }

    /** Removes outbound rules other than the default (one call); the caller passes only rules the group has. */
    public void revokeEgress(String groupId, List<IngressRule.Observed> rules) {
        if (rules.isEmpty()) {
            return;
        }
        List<IpPermission> permissions = rules.stream().map(Ec2Mapping::permission).toList();
        calls.call("RevokeSecurityGroupEgress " + groupId, List.of(groupId), () -> ec2.revokeSecurityGroupEgress(
                r -> r.groupId(groupId).ipPermissions(permissions)));
    }
}
