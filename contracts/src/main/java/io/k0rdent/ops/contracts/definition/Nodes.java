package io.k0rdent.ops.contracts.definition;

/**
 * {@code spec.nodes}: the controller and worker pools.
 *
 * @param rootVolumeGiB every node's root volume size, or {@code null} for the platform's default
 */
public record Nodes(NodePool controllers, NodePool workers, Integer rootVolumeGiB) {

    /** The form before the root volume size existed. */
    public Nodes(NodePool controllers, NodePool workers) {
        this(controllers, workers, null);
    }

    public int total() {
        return controllers.count() + workers.count();
    }
}
