package io.k0rdent.ops.contracts.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The fields every cluster event carries, in a fixed envelope so that tools can read any event
 * without knowing its type.
 *
 * @param eventId     unique id of this event; also the CloudEvents {@code ce_id}. Producers derive it
 *                    deterministically from what they react to (see {@link EventIds}), so reprocessing
 *                    an input after a crash produces the same id and consumers can deduplicate.
 * @param clusterName the cluster the event is about; the Kafka record key and {@code ce_subject}
 * @param generation  monotonic per cluster: bumped by each accepted change of its definition
 * @param gitCommit   the commit of the definition this event belongs to (the head commit of the push)
 * @param causationId the event this one reacts to; {@code null} only for events caused by Git
 * @param occurredAt  when the producer observed or did what the event reports
 * @param labels      the cluster's {@code metadata.labels}, carried along so consumers can route
 *                    (e.g. notifications by team) without a lookup; never null
 * @param initiator   who made the Git change that started this flow; {@code null} when unknown
 */
public record EventHeader(
        UUID eventId,
        String clusterName,
        long generation,
        String gitCommit,
        UUID causationId,
        Instant occurredAt,
        Map<String, String> labels,
        Initiator initiator) {

    public EventHeader {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(occurredAt, "occurredAt");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The header of an event that reacts to the event with this header: same cluster, generation,
     * commit, labels and initiator; this event as its cause.
     */
    public EventHeader causing(UUID newEventId, Instant at) {
        return new EventHeader(newEventId, clusterName, generation, gitCommit, eventId, at, labels, initiator);
    }

    /** Like {@link #causing(UUID, Instant)}, with an id derived from this event and a discriminator. */
    public EventHeader causing(String discriminator, Instant at) {
        return causing(EventIds.derived(eventId, discriminator), at);
    }
}
