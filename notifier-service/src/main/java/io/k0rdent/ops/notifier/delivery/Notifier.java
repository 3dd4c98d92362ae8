package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.message.OutgoingMessage;

/**
 * Sends messages to one configured destination. Implementations are the adapters to Slack, SMTP and
 * HTTP webhooks; they classify every answer into a {@link SendOutcome} and never throw for a failed send.
 */
public interface Notifier {

    Channel channel();

    /** One attempt; blocking, bounded by the adapter's timeouts. */
    SendOutcome send(OutgoingMessage message);

    /**
     * One attempt for a delivery. Adapters that write per event rather than a rendered message (commit statuses)
     * read the delivery's events; the others send its message.
     */
    default SendOutcome send(Delivery delivery) {
        return send(delivery.message());
    }
}
