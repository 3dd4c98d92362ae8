package io.k0rdent.ops.contracts.event;

/** What a node does in its k0s cluster. */
public enum NodeRole {
    CONTROLLER,
    WORKER
}
