package io.k0rdent.ops.contracts.definition;

/** {@code spec.nodes}: the controller and worker pools. */
public record Nodes(NodePool controllers, NodePool workers) {

    public int total() {
        return controllers.count() + workers.count();
    }
}
