package io.k0rdent.ops.provisioner.reconcile;

import java.util.List;
import java.util.Map;

/**
 * A cluster's network once it exists.
 *
 * @param subnetIds      one subnet per zone, in zone order (index = zone index of a slot)
 * @param zones          the zone of each subnet
 * @param securityGroups group name → id
 */
public record ClusterNetwork(String vpcId, List<String> subnetIds, List<String> zones,
                             Map<String, String> securityGroups) {

    public ClusterNetwork {
        subnetIds = List.copyOf(subnetIds);
        zones = List.copyOf(zones);
        securityGroups = Map.copyOf(securityGroups);
    }
}
