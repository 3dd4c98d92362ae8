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
}
