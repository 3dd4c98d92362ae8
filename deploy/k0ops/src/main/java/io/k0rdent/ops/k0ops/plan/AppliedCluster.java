package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;

/**
 * The last accepted definition of a cluster, as the gitwatcher published it.
 *
 * @param definition the whole definition of that generation
 * @param generation its generation
 * @param path       the repository-relative file it came from
 * @param repository the repository URL it came from
 */
public record AppliedCluster(ClusterDefinition definition, long generation, String path, String repository) {
}
