package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.List;

/**
 * A cluster's infrastructure matches its definition and every instance is running. Also emitted
 * when only the k0s version changed, so the bootstrap service upgrades without an infrastructure change.
 *
 * @param definition the definition (generation in the header) this infrastructure was built for
 * @param nodes      every node the cluster should now run on, controllers first
 */
public record InfrastructureProvisioned(
        EventHeader header,
        ClusterDefinition definition,
        String region,
        String vpcId,
        List<ProvisionedNode> nodes) implements InfrastructureEvent {

    public InfrastructureProvisioned {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
