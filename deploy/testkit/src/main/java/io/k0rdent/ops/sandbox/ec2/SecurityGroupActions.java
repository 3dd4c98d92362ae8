package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.byIds;
import static io.k0rdent.ops.sandbox.ec2.Describes.find;
import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Permission;
import io.k0rdent.ops.sandbox.ec2.Ec2State.SecurityGroup;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Vpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Security groups and their rules: create (with AWS's default allow-all outbound rule), delete (not while an instance
 * or another group's inbound or outbound rule uses it), describe, and inbound and outbound rules authorized or revoked
 * one by one as EC2 does (duplicates and unknown rules are errors).
 */
final class SecurityGroupActions {

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;
    private final Function<String, String> newId;
    /** Brings instance states up to date, so a terminated instance no longer holds its groups. */
    private final Runnable refresh;

    SecurityGroupActions(Ec2State state, Function<String, String> newId, Runnable refresh) {
        this.state = state;
        this.newId = newId;
        this.refresh = refresh;
    }

    void createSecurityGroup(QueryRequest request, XmlOut out, List<String> created) {
        String name = request.required("GroupName");
        String description = request.required("GroupDescription");
        Vpc vpc = find(state.vpcs, request.required("VpcId"), "InvalidVpcID.NotFound");
        if (state.securityGroups.values().stream().anyMatch(g -> g.vpcId.equals(vpc.id) && g.name.equals(name))) {
            throw Ec2Error.client("InvalidGroup.Duplicate", "The security group '" + name
                    + "' already exists for VPC '" + vpc.id + "'");
        }
        SecurityGroup group = new SecurityGroup(newId.apply("sg"), vpc.id, name, description, false);
        group.tags.putAll(request.tagSpecifications("security-group"));
        group.egress.add(Permission.allOutbound());
        state.securityGroups.put(group.id, group);
        created.add(group.id);
        out.text("return", true).text("groupId", group.id).tagSet(group.tags);
    }

    void authorizeIngress(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        authorize(request, out, group.ingress);
    }

    /** Adds outbound rules; a new group already has AWS's allow-all one, so adding it again is a duplicate. */
    void authorizeEgress(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        authorize(request, out, group.egress);
    }

    void revokeIngress(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        revoke(request, out, group.ingress);
    }

    void revokeEgress(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        revoke(request, out, group.egress);
    }

    /** Adds every rule of the request, or none: a rule the group already has is {@code InvalidPermission.Duplicate}. */
    private void authorize(QueryRequest request, XmlOut out, List<Permission> rules) {
        List<Permission> permissions = new ArrayList<>();
        int count = request.structCount("IpPermissions");
        for (int p = 1; p <= count; p++) {
            String prefix = "IpPermissions." + p + ".";
            String protocol = request.required(prefix + "IpProtocol");
            Integer from = request.get(prefix + "FromPort") == null ? null : request.intValue(prefix + "FromPort", 0);
            Integer to = request.get(prefix + "ToPort") == null ? null : request.intValue(prefix + "ToPort", 0);
            List<String> cidrs = new ArrayList<>();
            for (int r = 1; request.get(prefix + "IpRanges." + r + ".CidrIp") != null; r++) {
                cidrs.add(Cidr.parse(request.get(prefix + "IpRanges." + r + ".CidrIp")).toString());
            }
            List<String> groups = new ArrayList<>();
            for (int g = 1; request.get(prefix + "Groups." + g + ".GroupId") != null; g++) {
                String peer = request.get(prefix + "Groups." + g + ".GroupId");
                find(state.securityGroups, peer, "InvalidGroup.NotFound");
                groups.add(peer);
            }
            List<String> ipv6 = ipv6Ranges(request, prefix);
            Permission permission = new Permission(protocol, from, to, cidrs, groups, ipv6);
            if (rules.contains(permission) || permissions.contains(permission)) {
                throw Ec2Error.client("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + String.join(",", cidrs) + String.join(",", groups) + String.join(",", ipv6) + ", "
                        + protocol.toUpperCase()
                        + ", from port: " + from + ", to port: " + to + ", ALLOW\" already exists");
            }
            permissions.add(permission);
        }
        if (permissions.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter ipPermissions");
        }
        rules.addAll(permissions);
        out.text("return", true);
    }

    /**
     * Removes each named rule (protocol, ports and one peer each); a rule the group does not have is
     * {@code InvalidPermission.NotFound} and nothing is removed (AWS API reference, "RevokeSecurityGroupIngress",
     * "RevokeSecurityGroupEgress").
     */
    private void revoke(QueryRequest request, XmlOut out, List<Permission> rules) {
        List<Permission> remaining = new ArrayList<>(rules);
        int count = request.structCount("IpPermissions");
        for (int p = 1; p <= count; p++) {
            String prefix = "IpPermissions." + p + ".";
            String protocol = request.required(prefix + "IpProtocol");
            Integer from = request.get(prefix + "FromPort") == null ? null : request.intValue(prefix + "FromPort", 0);
            Integer to = request.get(prefix + "ToPort") == null ? null : request.intValue(prefix + "ToPort", 0);
            List<String> peers = new ArrayList<>();
            for (int r = 1; request.get(prefix + "IpRanges." + r + ".CidrIp") != null; r++) {
                peers.add(Cidr.parse(request.get(prefix + "IpRanges." + r + ".CidrIp")).toString());
            }
            for (int g = 1; request.get(prefix + "Groups." + g + ".GroupId") != null; g++) {
                peers.add(request.get(prefix + "Groups." + g + ".GroupId"));
            }
            peers.addAll(ipv6Ranges(request, prefix));
            for (String peer : peers) {
                Permission match = remaining.stream().filter(x -> x.protocol().equals(protocol)
                        && Objects.equals(x.fromPort(), from) && Objects.equals(x.toPort(), to)
                        && x.hasPeer(peer)).findFirst()
                        .orElseThrow(() -> Ec2Error.client("InvalidPermission.NotFound",
                                "The specified rule does not exist in this security group."));
                int index = remaining.indexOf(match);
                List<String> cidrs = new ArrayList<>(match.cidrs());
                List<String> groups = new ArrayList<>(match.groupIds());
                List<String> ipv6 = new ArrayList<>(match.ipv6Cidrs());
                cidrs.remove(peer);
                groups.remove(peer);
                ipv6.remove(peer);
                if (cidrs.isEmpty() && groups.isEmpty() && ipv6.isEmpty()) {
                    remaining.remove(index);
                } else {
                    remaining.set(index, new Permission(protocol, from, to, cidrs, groups, ipv6));
                }
            }
        }
        if (count == 0) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter ipPermissions");
        }
        rules.clear();
        rules.addAll(remaining);
        out.text("return", true);
    }

    /** {@code IpPermissions.N.Ipv6Ranges.M.CidrIpv6} (botocore's EC2 model: {@code IpPermission.Ipv6Ranges}). */
    private static List<String> ipv6Ranges(QueryRequest request, String prefix) {
        List<String> ranges = new ArrayList<>();
        for (int r = 1; request.get(prefix + "Ipv6Ranges." + r + ".CidrIpv6") != null; r++) {
            ranges.add(Ipv6Cidr.parse(request.get(prefix + "Ipv6Ranges." + r + ".CidrIpv6")));
        }
        return ranges;
    }

    void deleteSecurityGroup(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        if (group.isDefault) {
            throw Ec2Error.client("CannotDelete", "the specified group: \"" + group.id
                    + "\" name: \"default\" cannot be deleted by a user");
        }
        refresh.run();
        boolean usedByInstance = state.instances.values().stream()
                .anyMatch(i -> i.isAlive() && i.securityGroupIds.contains(group.id));
        boolean referenced = state.securityGroups.values().stream()
                .filter(other -> other != group)
                .anyMatch(other -> Stream.concat(other.ingress.stream(), other.egress.stream())
                        .anyMatch(p -> p.groupIds().contains(group.id)));
        if (usedByInstance || referenced) {
            throw Ec2Error.dependencyViolation("resource " + group.id + " has a dependent object");
        }
        state.securityGroups.remove(group.id);
        out.text("return", true);
    }

    void describeSecurityGroups(QueryRequest request, XmlOut out) {
        List<SecurityGroup> selected = select(byIds(state.securityGroups, request.list("GroupId"),
                "InvalidGroup.NotFound"), request.filters(), (group, name) -> switch (name) {
                    case "group-id" -> List.of(group.id);
                    case "group-name" -> List.of(group.name);
                    case "vpc-id" -> List.of(group.vpcId);
                    case "description" -> List.of(group.description);
                    case "owner-id" -> List.of(OWNER_ID);
                    default -> tagValues(group.tags, name);
                });
        Describes.Page<SecurityGroup> page = page(selected, request);
        out.start("securityGroupInfo");
        for (SecurityGroup group : page.items()) {
            out.start("item").text("ownerId", OWNER_ID).text("groupId", group.id).text("groupName", group.name)
                    .text("groupDescription", group.description).text("vpcId", group.vpcId);
            out.start("ipPermissions");
            writePermissions(out, group.ingress);
            out.end().start("ipPermissionsEgress");
            writePermissions(out, group.egress);
            out.end().tagSet(group.tags).end();
        }
        out.end().text("nextToken", page.nextToken());
    }

    private static void writePermissions(XmlOut out, List<Permission> rules) {
        for (Permission permission : rules) {
            out.start("item").text("ipProtocol", permission.protocol()).text("fromPort", permission.fromPort())
                    .text("toPort", permission.toPort()).start("groups");
            permission.groupIds().forEach(id -> out.start("item").text("userId", OWNER_ID).text("groupId", id)
                    .end());
            out.end().start("ipRanges");
            permission.cidrs().forEach(cidr -> out.start("item").text("cidrIp", cidr).end());
            out.end().start("ipv6Ranges");
            permission.ipv6Cidrs().forEach(cidr -> out.start("item").text("cidrIpv6", cidr).end());
            out.end().end();
        }
    }
}
