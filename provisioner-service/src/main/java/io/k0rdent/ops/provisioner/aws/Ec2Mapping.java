package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.NodeRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/** Between the SDK's EC2 model and the provisioner's own: tags, filters, what the inventory keeps of a resource. */
final class Ec2Mapping {

    private Ec2Mapping() {
    }

    static Filter tagFilter(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }

    static TagSpecification spec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tagList(tags)).build();
    }

    static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    static ClusterInventory.Resource routeTable(RouteTable table) {
        List<String> associations = table.associations().stream()
                .filter(a -> !Boolean.TRUE.equals(a.main()))
                .map(RouteTableAssociation::routeTableAssociationId).toList();
        return new ClusterInventory.Resource(table.routeTableId(), tags(table.tags()), null, null, associations);
    }

    static ClusterInventory.Routing routing(RouteTable table) {
        Map<String, String> associations = new LinkedHashMap<>();
        table.associations().stream().filter(a -> a.subnetId() != null)
                .forEach(a -> associations.put(a.subnetId(), a.routeTableAssociationId()));
        String target = table.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()))
                .map(r -> r.gatewayId() != null ? r.gatewayId() : r.natGatewayId()).findFirst().orElse(null);
        return new ClusterInventory.Routing(associations, target);
    }

    static ClusterInventory.Resource securityGroup(SecurityGroup group) {
        return new ClusterInventory.Resource(group.groupId(), tags(group.tags()), null, null,
                ruleKeys(group.ipPermissions()));
    }

    /** A group's outbound rules as {@link IngressRule#key()}s, the destination in the peer's place. */
    static List<String> egressRules(SecurityGroup group) {
        return ruleKeys(group.ipPermissionsEgress());
    }

    private static List<String> ruleKeys(List<IpPermission> permissions) {
        List<String> rules = new ArrayList<>();
        for (IpPermission permission : permissions) {
            int from = permission.fromPort() == null ? -1 : permission.fromPort();
            int to = permission.toPort() == null ? -1 : permission.toPort();
            permission.ipRanges().forEach(r -> rules.add(IngressRule.key(permission.ipProtocol(), from, to,
                    r.cidrIp())));
            permission.userIdGroupPairs().forEach(p -> rules.add(IngressRule.key(permission.ipProtocol(), from, to,
                    p.groupId())));
            // Never wanted, so compared only to be found and revoked as drift.
            permission.ipv6Ranges().forEach(r -> rules.add(IngressRule.key(permission.ipProtocol(), from, to,
                    r.cidrIpv6())));
        }
        return rules;
    }

    /** One rule as EC2 takes it back: protocol, ports when the protocol has them, and its one range or group. */
    static IpPermission permission(IngressRule.Observed rule) {
        IpPermission.Builder permission = IpPermission.builder().ipProtocol(rule.protocol());
        if (rule.fromPort() >= 0) {
            permission.fromPort(rule.fromPort()).toPort(rule.toPort());
        }
        if (rule.fromGroup()) {
            permission.userIdGroupPairs(UserIdGroupPair.builder().groupId(rule.source()).build());
        } else if (rule.ipv6()) {
            permission.ipv6Ranges(Ipv6Range.builder().cidrIpv6(rule.source()).build());
        } else {
            permission.ipRanges(IpRange.builder().cidrIp(rule.source()).build());
        }
        return permission.build();
    }

    static ObservedInstance observed(Instance instance) {
        Map<String, String> tags = tags(instance.tags());
        String role = tags.getOrDefault(ClusterTags.ROLE, "worker");
        return new ObservedInstance(instance.instanceId(),
                "controller".equals(role) ? NodeRole.CONTROLLER : NodeRole.WORKER,
                parseInt(tags.get(ClusterTags.SLOT)), parseLong(tags.get(ClusterTags.GENERATION)),
                instance.instanceTypeAsString(),
                instance.placement() == null ? null : instance.placement().availabilityZone(),
                instance.subnetId(), instance.privateIpAddress(), instance.publicIpAddress(),
                instance.state() == null ? "pending" : instance.state().nameAsString(),
                tags.get(ClusterTags.RETIRING), tags);
    }

    static int parseInt(String value) {
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An interface as an operator needs it to find its owner: id, type, instance, requester, description. */
    static String describe(NetworkInterface eni) {
        StringBuilder text = new StringBuilder(eni.networkInterfaceId()).append(" (").append(eni.interfaceTypeAsString());
        if (eni.attachment() != null && eni.attachment().instanceId() != null) {
            text.append(", attached to instance ").append(eni.attachment().instanceId());
        }
        if (eni.requesterId() != null) {
            text.append(", requested by ").append(eni.requesterId());
        }
        if (eni.description() != null && !eni.description().isBlank()) {
            text.append(", \"").append(eni.description()).append('"');
        }
        return text.append(')').toString();
    }
}
