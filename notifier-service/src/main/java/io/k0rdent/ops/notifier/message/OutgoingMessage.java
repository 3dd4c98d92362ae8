package io.k0rdent.ops.notifier.message;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A rendered message on its way to one destination.
 *
 * @param id          stable for the same events and destination: the subject event's id, or for a digest an id
 *                    derived from all its events' ids; it becomes the e-mail {@code Message-ID}, so a resend after a
 *                    crash is recognisable as the same message by mail clients
 * @param destination the destination's name
 * @param recipient   an address for this message only (the commit author), or {@code null}
 * @param content     what to say
 * @param subjects    the events the message is about
 */
public record OutgoingMessage(UUID id, String destination, String recipient, MessageContent content,
                              List<SubjectEvent> subjects) {

    public OutgoingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(content, "content");
        subjects = List.copyOf(subjects);
    }

    /** The event a message is about, by reference. */
    public record SubjectEvent(UUID eventId, String type, String cluster) {
    }
}
