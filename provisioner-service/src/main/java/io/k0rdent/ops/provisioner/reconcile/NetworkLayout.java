package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The network a cluster gets: one subnet per availability zone carved from the VPC CIDR, and two security groups.
 * {@code <cluster>-nodes} is on every node (controllers too): SSH from the admin CIDR only, and kubelet (10250) and
 * the CNI ports (kube-router BGP 179/tcp, VXLAN 4789/udp) between nodes. {@code <cluster>-controllers} is on controllers:
 * the API (6443) from nodes and the admin CIDR, konnectivity (8132) and controller join (9443) from nodes, and etcd
 * peers (2380) between controllers.
 */
public final class NetworkLayout {

    private NetworkLayout() {
    }

    public static String nodesGroup(String cluster) {
        return cluster + "-nodes";
    }

    public static String controllersGroup(String cluster) {
        return cluster + "-controllers";
    }

    /**
     * Subnet CIDRs: the VPC block split in four equal parts (two prefix bits), one per zone, in zone order.
     *
     * @param vpcCidr an IPv4 block between /16 and /24 (validated by the gitwatcher)
     * @param zones   how many subnets, 1..4
     */
    public static List<String> subnetCidrs(String vpcCidr, int zones) {
        if (zones < 1 || zones > 4) {
            throw new IllegalArgumentException("1..4 subnets");
        }
        String[] parts = vpcCidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        long base = 0;
        for (String octet : parts[0].split("\\.")) {
            base = (base << 8) | Integer.parseInt(octet);
        }
        int subnetPrefix = prefix + 2;
        long size = 1L << (32 - subnetPrefix);
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < zones; i++) {
            long start = base + i * size;
            cidrs.add(((start >> 24) & 255) + "." + ((start >> 16) & 255) + "." + ((start >> 8) & 255) + "."
                    + (start & 255) + "/" + subnetPrefix);
        }
        return cidrs;
    }

    /**
     * Rules of the nodes group. They reference only the group itself: a reference to the controllers group would
     * make the two groups depend on each other, and EC2 refuses to delete a group another group's rule names.
     */
    public static List<IngressRule> nodesRules(String cluster, String adminCidr) {
        String nodes = nodesGroup(cluster);
        return List.of(
                IngressRule.fromCidr("tcp", 22, adminCidr),
                IngressRule.fromGroup("tcp", 10250, nodes),
                IngressRule.fromGroup("tcp", 179, nodes),
                IngressRule.fromGroup("udp", 4789, nodes));
    }

    /** Rules of the controllers group. */
    public static List<IngressRule> controllersRules(String cluster, String adminCidr) {
        String nodes = nodesGroup(cluster);
        String controllers = controllersGroup(cluster);
        return List.of(
                IngressRule.fromGroup("tcp", 6443, nodes),
                IngressRule.fromCidr("tcp", 6443, adminCidr),
                IngressRule.fromGroup("tcp", 8132, nodes),
                IngressRule.fromGroup("tcp", 9443, nodes),
                IngressRule.fromGroup("tcp", 2380, controllers));
    }
}
