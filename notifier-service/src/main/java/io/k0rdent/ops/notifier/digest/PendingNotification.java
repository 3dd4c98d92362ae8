package io.k0rdent.ops.notifier.digest;

import io.k0rdent.ops.notifier.delivery.Ticket;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.routing.Route;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One (event, destination) pair waiting to be told.
 *
 * @param notice what to tell
 * @param route  where
 * @param source the consumed record, kept to dead-letter it byte for byte if the destination rejects it
 * @param ticket settled once this pair is delivered or failed for good; the record's offset waits for it
 */
public record PendingNotification(Notice notice, Route route, ConsumerRecord<String, byte[]> source, Ticket ticket) {

    public PendingNotification {
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(ticket, "ticket");
    }
}
