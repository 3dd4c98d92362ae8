package io.k0rdent.ops.provisioner.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * What a cluster is in EC2 and ELBv2, without ids: sorted lines such as {@code route C-public 0.0.0.0/0 -> igw} or
 * {@code rule C-controllers tcp 6443-6443 from C-nodes}, the cluster's name written {@code C}. Two clusters built
 * the same way have the same shape, whatever their ids and however many passes it took.
 */
public final class ClusterShape {

    private ClusterShape() {
    }

    public static List<String> of(Ec2Client ec2, ElasticLoadBalancingV2Client elb, String cluster) {
        Filter tagged = Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build();
        List<String> lines = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        ec2.describeVpcs(r -> r.filters(tagged)).vpcs().forEach(v -> {
            names.put(v.vpcId(), "vpc");
            lines.add("vpc " + v.cidrBlock());
        });
        for (Subnet s : ec2.describeSubnets(r -> r.filters(tagged)).subnets()) {
            names.put(s.subnetId(), "subnet " + s.cidrBlock());
            lines.add("subnet " + s.availabilityZone() + " " + s.cidrBlock() + " public addresses "
                    + s.mapPublicIpOnLaunch());
        }
        ec2.describeInternetGateways(r -> r.filters(tagged)).internetGateways().forEach(g -> {
            names.put(g.internetGatewayId(), "igw");
            lines.add("internet gateway attached to " + g.attachments().stream()
                    .map(a -> names.getOrDefault(a.vpcId(), a.vpcId())).toList());
        });
        ec2.describeNatGateways(r -> r.filter(tagged)).natGateways().stream()
                .filter(n -> !"deleted".equals(n.stateAsString()) && !"failed".equals(n.stateAsString()))
                .forEach(n -> {
                    names.put(n.natGatewayId(), "nat in " + names.get(n.subnetId()));
                    lines.add("nat gateway in " + names.get(n.subnetId()) + " " + n.stateAsString());
                });
        ec2.describeAddresses(r -> r.filters(tagged)).addresses().forEach(a -> lines.add("address " + name(a.tags())
                .replace(cluster, "C")));
        for (RouteTable t : ec2.describeRouteTables(r -> r.filters(tagged)).routeTables()) {
            String table = name(t.tags()).replace(cluster, "C");
            t.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())).forEach(r -> lines.add(
                    "route " + table + " 0.0.0.0/0 -> " + names.getOrDefault(r.gatewayId() != null ? r.gatewayId()
                            : r.natGatewayId(), "?") + " " + r.stateAsString()));
            t.associations().stream().filter(a -> a.subnetId() != null).forEach(a -> lines.add(
                    "association " + table + " " + names.get(a.subnetId())));
        }
        List<SecurityGroup> groups = ec2.describeSecurityGroups(r -> r.filters(tagged)).securityGroups();
        groups.forEach(g -> names.put(g.groupId(), g.groupName().replace(cluster, "C")));
        for (SecurityGroup g : groups) {
            g.ipPermissions().forEach(p -> {
                String rule = "rule " + names.get(g.groupId()) + " " + p.ipProtocol() + " " + p.fromPort() + "-"
                        + p.toPort() + " from ";
                p.ipRanges().forEach(range -> lines.add(rule + range.cidrIp()));
                p.userIdGroupPairs().forEach(pair -> lines.add(rule + names.get(pair.groupId())));
            });
        }
        Map<String, String> slots = new HashMap<>();
        ec2.describeInstances(r -> r.filters(tagged, Filter.builder().name("instance-state-name")
                .values("pending", "running", "stopping", "stopped").build())).reservations().stream()
                .flatMap(res -> res.instances().stream()).forEach((Instance i) -> {
                    Map<String, String> tags = new HashMap<>();
                    i.tags().forEach(t -> tags.put(t.key(), t.value()));
                    String slot = tags.get("k0rdent.io/role") + "/" + tags.get("k0rdent.io/slot");
                    slots.put(i.instanceId(), slot);
                    lines.add("instance " + slot + " " + i.instanceTypeAsString() + " " + i.state().nameAsString()
                            + " in " + names.get(i.subnetId()));
                });
        String loadBalancer = "k0-" + cluster + "-api";
        try {
            elb.describeLoadBalancers(r -> r.names(loadBalancer)).loadBalancers().forEach(lb -> {
                lines.add("load balancer " + lb.schemeAsString() + " in " + lb.availabilityZones().size() + " zones");
                elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().forEach(l ->
                        lines.add("listener " + l.port()));
            });
        } catch (LoadBalancerNotFoundException e) {
            // none: nothing to describe
        }
        for (TargetGroup group : elb.describeTargetGroups(r -> { }).targetGroups()) {
            if (!group.targetGroupName().startsWith("k0-" + cluster + "-")) {
                continue;
            }
            String name = group.targetGroupName().replace(cluster, "C");
            lines.add("target group " + name + " port " + group.port() + " listened to by "
                    + group.loadBalancerArns().size());
            elb.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn())).targetHealthDescriptions()
                    .stream().filter(d -> !"draining".equals(d.targetHealth().stateAsString()))
                    .forEach(d -> lines.add("target " + name + " " + slots.getOrDefault(d.target().id(), "?")));
        }
        return lines.stream().sorted().toList();
    }

    private static String name(List<Tag> tags) {
        return tags.stream().filter(t -> t.key().equals("Name")).map(Tag::value).findFirst().orElse("?");
    }
}
