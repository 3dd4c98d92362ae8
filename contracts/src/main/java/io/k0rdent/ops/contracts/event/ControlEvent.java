package io.k0rdent.ops.contracts.event;

/**
 * What a person asked of a cluster outside Git, with who ({@link EventHeader#initiator()}) and when
 * ({@link EventHeader#occurredAt()}). Produced by {@code k0ops} on {@code k0rdent.cluster.control}; the provisioner
 * and the bootstrap service honour them. {@code header.generation} is the generation the person saw when asking
 * (0 when unknown); {@code header.gitCommit} is {@code null}: no Git change is involved.
 */
public sealed interface ControlEvent extends ClusterEvent permits ClusterSuspended, ClusterResumed,
        ReconcileRequested {

    /** Why, in the person's words; {@code null} when none was given. */
    String reason();
}
