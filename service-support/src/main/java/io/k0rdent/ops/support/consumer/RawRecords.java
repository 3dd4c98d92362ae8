package io.k0rdent.ops.support.consumer;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Consumed records as {@code DeadLetter.toRecord} takes them. */
public final class RawRecords {

    private RawRecords() {
    }

    /**
     * {@code record} with its key as bytes again: the services consume keys as UTF-8 strings, which every producer
     * writes, so the round trip is lossless. Value, headers and position are the original's.
     */
    public static ConsumerRecord<byte[], byte[]> bytesKeyed(ConsumerRecord<String, byte[]> record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), key == null ? -1 : key.length,
                record.value() == null ? -1 : record.value().length, key, record.value(), record.headers(),
                record.leaderEpoch());
    }
}
