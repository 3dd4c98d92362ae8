package io.k0rdent.ops.support.consumer;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a service sends the records it gives up on: its dead-letter topic, the original key, value and headers
 * kept, with the reason in the {@code k0rdent.dlq.*} headers ({@code DeadLetter}). Returns once the broker has the
 * dead letter (the offset is committed after) and throws if it cannot.
 */
@FunctionalInterface
public interface DeadLetterSink {

    void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause);
}
