package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.Objects;

/**
 * The definition of a cluster that is in force: the last one that passed validation.
 *
 * @param name       the cluster name
 * @param path       the file that defines it now
 * @param generation the generation of its last accepted change
 * @param definition the accepted definition
 * @param commit     the commit it was accepted in
 */
public record AcceptedCluster(String name, String path, long generation, ClusterDefinition definition,
                              String commit) {

    public AcceptedCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(definition, "definition");
    }

    AcceptedCluster movedTo(String newPath) {
        return new AcceptedCluster(name, newPath, generation, definition, commit);
    }
}
