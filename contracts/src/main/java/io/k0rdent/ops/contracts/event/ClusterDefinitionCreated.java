package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;

/** A new, valid cluster definition appeared in Git. */
public record ClusterDefinitionCreated(EventHeader header, GitSource git, ClusterDefinition definition)
        implements ClusterDefinitionChanged {
}
