package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;

/** A cluster definition was removed from Git: its infrastructure is to be destroyed. */
public record ClusterDefinitionDeleted(EventHeader header, GitSource git, ClusterDefinition lastDefinition)
        implements ClusterDefinitionChanged {
}
