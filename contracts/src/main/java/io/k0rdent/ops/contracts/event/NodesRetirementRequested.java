package io.k0rdent.ops.contracts.event;

import java.util.List;

/**
 * The provisioner wants to terminate these nodes (scale-in, or replacement after an instance type
 * change). It terminates them only after the bootstrap service answers with {@link NodesDrained}.
 */
public record NodesRetirementRequested(EventHeader header, List<ProvisionedNode> nodes, RetirementReason reason)
        implements InfrastructureEvent {

    public NodesRetirementRequested {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Why nodes are retired. */
    public enum RetirementReason {
        SCALE_IN,
        REPLACEMENT
    }
}
