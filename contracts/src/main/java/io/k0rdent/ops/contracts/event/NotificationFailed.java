package io.k0rdent.ops.contracts.event;

import java.util.UUID;

/**
 * A message about {@code subjectEventId} could not be delivered.
 *
 * @param permanent {@code true} when retrying cannot help (e.g. Slack 404 {@code no_service})
 */
public record NotificationFailed(
        EventHeader header,
        UUID subjectEventId,
        String subjectType,
        Channel channel,
        String destination,
        String reason,
        boolean permanent) implements NotificationEvent {
}
