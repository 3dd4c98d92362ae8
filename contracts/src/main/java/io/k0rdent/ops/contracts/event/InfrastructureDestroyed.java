package io.k0rdent.ops.contracts.event;

import java.util.List;

/** Every AWS resource the cluster ever had is gone. */
public record InfrastructureDestroyed(EventHeader header, String region, List<String> removedResources)
        implements InfrastructureEvent {

    public InfrastructureDestroyed {
        removedResources = removedResources == null ? List.of() : List.copyOf(removedResources);
    }
}
