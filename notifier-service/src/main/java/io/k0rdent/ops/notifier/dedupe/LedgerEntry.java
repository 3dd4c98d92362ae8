package io.k0rdent.ops.notifier.dedupe;

import java.time.Instant;
import java.util.UUID;

/**
 * The value stored in {@code k0rdent.notifier.deliveries} under {@code eventId/destination}: that pair is
 * settled. It also carries what {@code ClusterHealth} needs to rebuild its failure memory on start.
 *
 * @param eventId        the subject event
 * @param destination    the destination's name (never its URL or address)
 * @param status         how it ended
 * @param cluster        the subject event's cluster
 * @param eventType      the subject event's {@code ce_type}
 * @param failureDetail  the failure's phase or reason for failure events, else {@code null}
 * @param eventAt        the subject event's {@code occurredAt}
 * @param recordedAt     when the pair was settled
 * @param eventsInDigest how many events the message covered
 * @param generation     the subject event's generation
 */
public record LedgerEntry(UUID eventId, String destination, Status status, String cluster, String eventType,
                          String failureDetail, Instant eventAt, Instant recordedAt, int eventsInDigest,
                          long generation) {

    /** How an (event, destination) pair ended. */
    public enum Status {
        /** The destination accepted the message. */
        DELIVERED,
        /** The destination rejected it, or retries ran out; it went to the dead-letter topic. */
        FAILED
    }

    /** The record key: {@code eventId/destination}. */
    public String key() {
        return DeliveryLedger.key(eventId, destination);
    }
}
