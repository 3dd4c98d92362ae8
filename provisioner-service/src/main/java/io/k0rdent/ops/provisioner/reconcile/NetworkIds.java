package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of a cluster's network resources by what they are to the cluster (logical keys: {@code vpc},
 * {@code internet-gateway}, {@code subnet/nodes/0}, a route table's or security group's name, {@code nat/0}):
 * first what EC2 reported, then what a plan's actions created. Actions name resources by key because a resource
 * created by one action of a plan has no id until that action ran.
 */
public final class NetworkIds {

    public static final String VPC = "vpc";
    public static final String INTERNET_GATEWAY = "internet-gateway";

    private final Map<String, String> ids = new LinkedHashMap<>();

    public static String subnet(String role, int zoneIndex) {
        return "subnet/" + role + "/" + zoneIndex;
    }

    /** The NAT gateway of zone {@code zoneIndex}; its id is only known once egress is ensured. */
    public static String nat(int zoneIndex) {
        return "nat/" + zoneIndex;
    }

    public static boolean isNat(String key) {
        return key.startsWith("nat/");
    }

    public static int natZone(String key) {
        return Integer.parseInt(key.substring("nat/".length()));
    }

    /** What EC2 holds for the desired network's resources. */
    public static NetworkIds observed(ClusterInventory inventory, DesiredNetwork desired) {
        NetworkIds ids = new NetworkIds();
        if (inventory.vpc() != null) {
            ids.put(VPC, inventory.vpc().id());
        }
        if (inventory.internetGateway() != null) {
            ids.put(INTERNET_GATEWAY, inventory.internetGateway().id());
        }
        for (DesiredNetwork.Subnet subnet : desired.subnets()) {
            // Subnets of clusters from before the edge role had no role tag: they are nodes subnets.
            inventory.subnets().stream()
                    .filter(s -> subnet.zone().equals(s.availabilityZone()) && subnet.role().equals(
                            s.tags().getOrDefault(NetworkReconciler.SUBNET_ROLE, NetworkLayout.NODES)))
                    .findFirst().ifPresent(s -> ids.put(subnet.key(), s.id()));
        }
        for (ClusterInventory.Resource table : inventory.routeTables()) {
            String name = table.tags().getOrDefault(ClusterTags.NAME, "");
            if (!name.isEmpty() && ids.get(name) == null) {
                ids.put(name, table.id());
            }
        }
        inventory.securityGroups().forEach((name, group) -> ids.put(name, group.id()));
        for (int i = 0; i < desired.zones().size(); i++) {
            String edge = ids.get(subnet(NetworkLayout.EDGE, i));
            String key = nat(i);
            inventory.natGateways().stream().filter(n -> n.isUsable() && edge != null && edge.equals(n.subnetId()))
                    .findFirst().ifPresent(n -> ids.put(key, n.id()));
        }
        return ids;
    }

    /** The id of {@code key}, or {@code null} while it does not exist. */
    public String get(String key) {
        return ids.get(key);
    }

    /** The id of {@code key}, which an earlier action must have created. */
    public String require(String key) {
        String id = ids.get(key);
        if (id == null) {
            throw new IllegalStateException(key + " has no id: the plan did not create it first");
        }
        return id;
    }

    public void put(String key, String id) {
        ids.put(key, id);
    }

    /** The id if known, else the key: for saying what an action is about. */
    public String name(String key) {
        return ids.getOrDefault(key, key);
    }
}
