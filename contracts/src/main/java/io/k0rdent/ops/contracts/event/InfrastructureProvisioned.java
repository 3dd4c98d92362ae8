package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.List;

/**
 * A cluster's infrastructure matches its definition and every instance is running. Also emitted
 * when only the k0s version changed, so the bootstrap service upgrades without an infrastructure change.
 *
 * @param definition the definition (generation in the header) this infrastructure was built for
 * @param nodes      every node the cluster should now run on, controllers first
 * @param apiAddress the cluster's stable API address (the DNS name of its network load balancer), used as k0s's
 *                   {@code externalAddress}, in the certificates' SANs, for joins and in the kubeconfig; it
 *                   survives replacing any controller. {@code null} from producers that predate it: consumers
 *                   then fall back to the first controller's address
 */
public record InfrastructureProvisioned(
        EventHeader header,
        ClusterDefinition definition,
        String region,
        String vpcId,
        List<ProvisionedNode> nodes,
        String apiAddress) implements InfrastructureEvent {

    public InfrastructureProvisioned {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** An event without a load-balanced API address (the form every producer wrote before it existed). */
    public InfrastructureProvisioned(EventHeader header, ClusterDefinition definition, String region, String vpcId,
            List<ProvisionedNode> nodes) {
        this(header, definition, region, vpcId, nodes, null);
    }
}
