package io.k0rdent.ops.provisioner.ledger;

import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every resource id a cluster owns, derived from the {@code k0rdent.io/cluster} tag. The provisioner keeps no other
 * record: what is tagged is what it created, so a deletion after a restart still finds everything.
 *
 * @param instances       instances that are not terminated yet
 * @param terminated      instances already terminated (they still show in EC2 for a while)
 * @param routeTables     route table id → its subnet association ids
 * @param securityGroups  group name → group id
 * @param internetGateway the gateway id, or {@code null}
 * @param gatewayVpcs     VPCs the gateway is attached to
 * @param natGateways     NAT gateways that are not deleted yet (deleting ones included: they are waited for)
 * @param addresses       Elastic IP allocation ids
 */
public record ResourceLedger(
        String cluster,
        String vpcId,
        List<String> instances,
        List<String> terminated,
        Map<String, String> securityGroups,
        Map<String, List<String>> routeTables,
        List<String> subnets,
        String internetGateway,
        List<String> gatewayVpcs,
        List<String> natGateways,
        List<String> addresses) {

    public ResourceLedger {
        natGateways = natGateways == null ? List.of() : List.copyOf(natGateways);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        instances = List.copyOf(instances);
        terminated = List.copyOf(terminated);
        securityGroups = Map.copyOf(securityGroups);
        routeTables = Map.copyOf(routeTables);
        subnets = List.copyOf(subnets);
        gatewayVpcs = List.copyOf(gatewayVpcs);
    }

    public static ResourceLedger from(ClusterInventory inventory) {
        Map<String, String> groups = new LinkedHashMap<>();
        inventory.securityGroups().forEach((name, group) -> groups.put(name, group.id()));
        Map<String, List<String>> tables = new LinkedHashMap<>();
        inventory.routeTables().forEach(t -> tables.put(t.id(), t.attachments()));
        return new ResourceLedger(
                inventory.cluster(),
                inventory.vpc() == null ? null : inventory.vpc().id(),
                inventory.instances().stream().filter(i -> !"terminated".equals(i.state()))
                        .map(ObservedInstance::instanceId).toList(),
                inventory.instances().stream().filter(i -> "terminated".equals(i.state()))
                        .map(ObservedInstance::instanceId).toList(),
                groups,
                tables,
                inventory.subnets().stream().map(ClusterInventory.Resource::id).toList(),
                inventory.internetGateway() == null ? null : inventory.internetGateway().id(),
                inventory.internetGateway() == null ? List.of() : inventory.internetGateway().attachments(),
                inventory.presentNatGateways().stream().map(ClusterInventory.NatGatewayResource::id).toList(),
                inventory.addresses().stream().map(ClusterInventory.Resource::id).toList());
    }

    /** Every id in the ledger, instances first, the VPC last (the order they go away in). */
    public List<String> allIds() {
        List<String> ids = new ArrayList<>(instances);
        ids.addAll(terminated);
        ids.addAll(natGateways);
        ids.addAll(addresses);
        ids.addAll(securityGroups.values());
        ids.addAll(routeTables.keySet());
        ids.addAll(subnets);
        if (internetGateway != null) {
            ids.add(internetGateway);
        }
        if (vpcId != null) {
            ids.add(vpcId);
        }
        return ids;
    }

    /** Nothing left that EC2 would still bill or that blocks a re-creation. */
    public boolean isEmpty() {
        return vpcId == null && instances.isEmpty() && securityGroups.isEmpty() && routeTables.isEmpty()
                && subnets.isEmpty() && internetGateway == null && natGateways.isEmpty() && addresses.isEmpty();
    }
}
