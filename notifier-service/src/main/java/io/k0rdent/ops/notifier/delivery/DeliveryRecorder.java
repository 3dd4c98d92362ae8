package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Makes outcomes durable before anything is settled: ledger entries, the {@code NotificationSent/Failed}
 * audit events and dead letters. The Kafka implementation writes each call's records in one transaction
 * and returns only when they are committed.
 */
public interface DeliveryRecorder {

    /** The destination accepted {@code delivery}: ledger entries and one {@code NotificationSent} per event. */
    void recordDelivered(Delivery delivery, List<LedgerEntry> entries);

    /**
     * {@code delivery} could not be delivered: ledger entries, one {@code NotificationFailed} per event, and each
     * source record to the dead-letter topic.
     */
    void recordFailed(Delivery delivery, List<LedgerEntry> entries, String reason, boolean permanent);

    /** Removes expired pairs from the durable ledger (tombstones on the compacted topic). */
    void forget(List<LedgerEntry> expired);

    /** A record the notifier cannot process (poison) goes to the dead-letter topic. */
    void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause);
}
