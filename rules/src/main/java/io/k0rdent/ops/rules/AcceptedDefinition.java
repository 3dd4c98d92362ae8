package io.k0rdent.ops.rules;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.Objects;

/**
 * A cluster definition in force: the last version of the cluster that was accepted, and the file it lives in.
 *
 * @param name       the cluster name
 * @param path       the repository-relative file that defines it now
 * @param definition the accepted definition
 */
public record AcceptedDefinition(String name, String path, ClusterDefinition definition) {

    public AcceptedDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(definition, "definition");
    }

    AcceptedDefinition movedTo(String newPath) {
        return new AcceptedDefinition(name, newPath, definition);
    }
}
