package io.k0rdent.ops.notifier.commitstatus;

/** What a per-cluster commit status says, before each forge names it its own way. */
public enum CommitState {
    /** The definition was accepted and is being worked on (or deleted). */
    PENDING,
    /** The cluster is Ready, or its deletion finished. */
    SUCCESS,
    /** The definition was rejected, or provisioning or bootstrap failed. */
    FAILURE
}
