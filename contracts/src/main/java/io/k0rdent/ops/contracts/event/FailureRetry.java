package io.k0rdent.ops.contracts.event;

import java.time.Instant;

/**
 * A service's automatic retry of a retryable failure, as its failure event reports it.
 *
 * @param attempt the number of failures in a row for this cluster, this one included
 * @param nextAt  when the service tries again by itself; {@code null} when it does not (not retryable, or its attempts
 *                are spent): a Git change or {@code k0ops reconcile} does
 */
public record FailureRetry(int attempt, Instant nextAt) {

    /**
     * The header of the failure this retry information belongs to. The first failure in a row keeps the id its
     * producer derived from the input (a redelivered input reports it again under the same id); each later failure
     * in the row is a fact of its own with an id derived from that one and its attempt, so consumers that dedupe by id
     * still hear of it, the last one (attempts spent) included. Deterministic, so a failure reported again after a
     * crash keeps its id.
     */
    public EventHeader identify(EventHeader first) {
        if (attempt <= 1) {
            return first;
        }
        return new EventHeader(EventIds.derived(first.eventId(), "attempt/" + attempt), first.clusterName(),
                first.generation(), first.gitCommit(), first.causationId(), first.occurredAt(), first.labels(),
                first.initiator());
    }
}
