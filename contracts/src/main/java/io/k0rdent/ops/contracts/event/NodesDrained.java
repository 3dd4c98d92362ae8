package io.k0rdent.ops.contracts.event;

import java.util.List;

/**
 * Answer to {@link NodesRetirementRequested}: these nodes were cordoned, drained and removed from the
 * cluster, so the provisioner may terminate their instances.
 */
public record NodesDrained(EventHeader header, List<String> instanceIds) implements BootstrapEvent {

    public NodesDrained {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }
}
