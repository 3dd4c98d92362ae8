package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.EgressCalls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internet egress for nodes without public addresses: one public NAT gateway with an Elastic IP in the first zone's
 * edge subnet (or one per zone, {@code spec.networking.zoneRedundantEgress}). The private route tables that send each
 * zone's nodes subnet to it are {@link NetworkPlanner}'s. Without it a private node cannot download k0s or pull an
 * image. Every part is compared with what EC2 holds: an address left unassociated by a crash is reused, a failed
 * gateway is replaced.
 */
public class EgressReconciler {

    /**
     * Ensures a NAT gateway in the first zone's edge subnet, or with {@code zoneRedundant} one in every zone's edge
     * subnet, and waits until each is available (no node is launched without egress).
     *
     * @param edgeSubnets the edge subnet ids in zone order
     * @return the NAT gateway ids by zone index
     */
    public Map<Integer, String> gateways(EgressCalls egress, ClusterInventory inventory, String cluster,
                                         long generation, boolean zoneRedundant, List<String> zones,
                                         List<String> edgeSubnets) {
        Map<Integer, String> nats = new LinkedHashMap<>();
        for (int i = 0; i < (zoneRedundant ? zones.size() : 1); i++) {
            String subnet = edgeSubnets.get(i);
            String nat = inventory.natGateways().stream()
                    .filter(n -> n.isUsable() && subnet.equals(n.subnetId()))
                    .map(ClusterInventory.NatGatewayResource::id).findFirst().orElse(null);
            nats.put(i, nat != null ? nat : create(egress, inventory, cluster, generation, zones.get(i), subnet));
        }
        nats.values().forEach(egress::waitUntilAvailable);
        return nats;
    }

    /**
     * Once the private routes go to {@code wanted}: deletes the gateways of zones that no longer get one, and
     * releases the addresses EC2 has let go of (a later pass, after the deletion finished).
     */
    public void retireUnwanted(EgressCalls egress, ClusterInventory inventory, String cluster, List<String> zones,
                               Map<Integer, String> wanted) {
        retire(egress, inventory, cluster, zones, wanted);
    }

    /** Gateways of zones that no longer get one (routes already moved away), and addresses they let go of. */
    private static void retire(EgressCalls egress, ClusterInventory inventory, String cluster,
                               List<String> zones, Map<Integer, String> wanted) {
        inventory.natGateways().stream()
                .filter(n -> n.isUsable() && !wanted.containsValue(n.id()))
                .forEach(n -> egress.deleteNatGateway(n.id()));
        for (int i = 0; i < zones.size(); i++) {
            if (wanted.containsKey(i)) {
                continue;
            }
            String name = cluster + "-nat-" + zones.get(i);
            inventory.addresses().stream()
                    .filter(a -> name.equals(a.tags().get(ClusterTags.NAME)) && a.attachments().isEmpty())
                    .forEach(a -> egress.releaseAddress(a.id()));
        }
    }

    private String create(EgressCalls egress, ClusterInventory inventory, String cluster, long generation,
                          String zone, String subnet) {
        String name = cluster + "-nat-" + zone;
        // An address allocated by a pass that stopped before its gateway was created is reused, not leaked.
        String allocation = inventory.addresses().stream()
                .filter(a -> name.equals(a.tags().get(ClusterTags.NAME)) && a.attachments().isEmpty())
                .map(ClusterInventory.Resource::id).findFirst()
                .orElseGet(() -> egress.allocateAddress(tags(cluster, generation, name)));
        // Failed gateways hold nothing; AWS removes them after about an hour. Each one in this subnet moves the token
        // on, since a token stays bound to the gateway it created.
        long attempt = inventory.natGateways().stream()
                .filter(n -> subnet.equals(n.subnetId()) && !n.isUsable()).count();
        return egress.createNatGateway(subnet, allocation, token(cluster, zone, allocation, attempt),
                tags(cluster, generation, name));
    }

    /** {@code CreateNatGateway}'s ClientToken: the same after a crash, another one for a deliberate new attempt. */
    static String token(String cluster, String zone, String allocation, long attempt) {
        String text = cluster + "/" + zone + "/" + allocation + "/" + attempt;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "k0-nat-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static Map<String, String> tags(String cluster, long generation, String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ClusterTags.CLUSTER, cluster);
        tags.put(ClusterTags.ROLE, ClusterTags.ROLE_NETWORK);
        tags.put(ClusterTags.GENERATION, Long.toString(generation));
        tags.put(ClusterTags.NAME, name);
        return tags;
    }
}
