package io.k0rdent.ops.contracts.event;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.List;

/**
 * A cluster definition changed. Carries the whole new definition (consumers need no history) and the
 * field-level difference to the previous accepted one.
 */
public record ClusterDefinitionUpdated(
        EventHeader header,
        GitSource git,
        ClusterDefinition definition,
        List<FieldChange> changes) implements ClusterDefinitionChanged {

    public ClusterDefinitionUpdated {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
