package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.util.List;

/**
 * What to do with a cluster's instances.
 *
 * @param keep        live instances that stay nodes of the cluster, controllers first, by slot
 * @param launches    slots that need a new instance
 * @param scaleIn     live instances beyond the desired count, to retire after they are drained
 * @param replace     live instances of a wrong instance type whose replacement is launched now, to retire after
 *                    they are drained
 */
public record InstancePlan(List<ObservedInstance> keep, List<Launch> launches, List<ObservedInstance> scaleIn,
                           List<ObservedInstance> replace) {

    public InstancePlan {
        keep = List.copyOf(keep);
        launches = List.copyOf(launches);
        scaleIn = List.copyOf(scaleIn);
        replace = List.copyOf(replace);
    }

    /** A slot to fill: role, slot, instance type and the zone index (slot modulo zone count). */
    public record Launch(NodeRole role, int slot, String instanceType, int zoneIndex) {

        public String label() {
            return role.name().toLowerCase() + "/" + slot;
        }
    }

    public boolean changesNothing() {
        return launches.isEmpty() && scaleIn.isEmpty() && replace.isEmpty();
    }
}
