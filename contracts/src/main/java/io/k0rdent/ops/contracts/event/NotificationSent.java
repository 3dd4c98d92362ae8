package io.k0rdent.ops.contracts.event;

import java.util.UUID;

/**
 * A message about {@code subjectEventId} reached a destination.
 *
 * @param destination    the configured destination's name (never its URL or address list)
 * @param eventsInDigest how many events the message covered (1 unless it was a digest)
 */
public record NotificationSent(
        EventHeader header,
        UUID subjectEventId,
        String subjectType,
        Channel channel,
        String destination,
        int eventsInDigest) implements NotificationEvent {
}
