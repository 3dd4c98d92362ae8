package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import java.util.List;

/**
 * One message to send to one destination, with the notifications it settles.
 *
 * @param channel the destination's kind
 * @param message what to send
 * @param items   the (event, destination) pairs the message covers: one, or many for a digest
 */
public record Delivery(Channel channel, OutgoingMessage message, List<PendingNotification> items) {

    public Delivery {
        items = List.copyOf(items);
    }

    public String destination() {
        return message.destination();
    }
}
