package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.List;

/**
 * The network a cluster gets, decided once here (the table with sources is in {@code DESIGN.md}, "Network per
 * cluster").
 *
 * <p>Subnets: in each of 2–3 zones one <em>nodes</em> subnet, a quarter of the VPC block (quarters 1–3), public for
 * clusters with {@code publicIp: true} and private otherwise; private clusters also get one small public <em>edge</em>
 * subnet per zone (a sixteenth of the VPC block, all inside quarter 0) for the NAT gateway and an internet-facing load
 * balancer. A /24 VPC thus gives /26 node subnets (59 usable addresses) and /28 edge subnets (11 usable: a load
 * balancer needs 8 free addresses in each of its subnets).
 *
 * <p>Security groups follow k0s's "Required ports and protocols" table (k0s docs, Networking): {@code <cluster>-nodes}
 * is on every node, controllers too, and {@code <cluster>-controllers} on controllers only.
 */
public final class NetworkLayout {

    /** The most zones a cluster spreads over (two quarters of its VPC would not hold a third zone's nodes). */
    public static final int MAX_ZONES = 3;

    /** Subnet roles, tag {@code k0rdent.io/subnet-role}. */
    public static final String NODES = "nodes";
    public static final String EDGE = "edge";

    /** IP protocol 4: IP-in-IP, kube-router's overlay between nodes of different subnets. */
    static final String IP_IN_IP = "4";

    private NetworkLayout() {
    }

    public static String nodesGroup(String cluster) {
        return cluster + "-nodes";
    }

    public static String controllersGroup(String cluster) {
        return cluster + "-controllers";
    }

    /** The nodes subnet of zone {@code index} (0..2): quarter {@code index + 1} of the VPC block. */
    public static String nodesSubnetCidr(String vpcCidr, int index) {
        requireZone(index);
        return block(vpcCidr, 2, index + 1);
    }

    /** The edge subnet of zone {@code index} (0..2): sixteenth {@code index} of the VPC block. */
    public static String edgeSubnetCidr(String vpcCidr, int index) {
        requireZone(index);
        return block(vpcCidr, 4, index);
    }

    private static void requireZone(int index) {
        if (index < 0 || index >= MAX_ZONES) {
            throw new IllegalArgumentException("zone index 0.." + (MAX_ZONES - 1));
        }
    }

    /** Block {@code n} of the VPC block split by {@code extraBits} more prefix bits. */
    private static String block(String vpcCidr, int extraBits, int n) {
        String[] parts = vpcCidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        long base = 0;
        for (String octet : parts[0].split("\\.")) {
            base = (base << 8) | Integer.parseInt(octet);
        }
        int subnetPrefix = prefix + extraBits;
        long start = base + n * (1L << (32 - subnetPrefix));
        return ((start >> 24) & 255) + "." + ((start >> 16) & 255) + "." + ((start >> 8) & 255) + "."
                + (start & 255) + "/" + subnetPrefix;
    }

    /**
     * Rules of the nodes group. They reference only the group itself: a reference to the controllers group would
     * make the two groups depend on each other, and EC2 refuses to delete a group another group's rule names. A group
     * reference matches traffic from the members' private addresses only, which is how nodes talk to each other.
     *
     * @param sshSource where the bootstrap service connects from (there is no default: see {@code admin-cidr})
     */
    public static List<IngressRule> nodesRules(String cluster, String sshSource) {
        String nodes = nodesGroup(cluster);
        return List.of(
                IngressRule.fromCidr("tcp", 22, sshSource),
                IngressRule.fromGroup("tcp", 10250, nodes),
                IngressRule.fromGroup("tcp", 179, nodes),
                IngressRule.protocolFromGroup(IP_IN_IP, nodes),
                IngressRule.fromGroup("udp", 4789, nodes));
    }

    /**
     * Rules of the controllers group. The VPC block is allowed on the ports the API load balancer forwards (6443,
     * 8132, 9443): its health checks come from its own private addresses, and with client IP preservation a node's
     * connection through it arrives from the node's private address, which a group reference does not match once the
     * traffic has passed the load balancer.
     *
     * @param apiClients where kubectl and the bootstrap service reach the API from
     */
    public static List<IngressRule> controllersRules(String cluster, String apiClients, String vpcCidr) {
        String nodes = nodesGroup(cluster);
        String controllers = controllersGroup(cluster);
        return List.of(
                IngressRule.fromGroup("tcp", 6443, nodes),
                IngressRule.fromCidr("tcp", 6443, apiClients),
                IngressRule.fromCidr("tcp", 6443, vpcCidr),
                IngressRule.fromGroup("tcp", 8132, nodes),
                IngressRule.fromCidr("tcp", 8132, vpcCidr),
                IngressRule.fromGroup("tcp", 9443, controllers),
                IngressRule.fromCidr("tcp", 9443, vpcCidr),
                IngressRule.fromGroup("tcp", 2380, controllers));
    }
}
