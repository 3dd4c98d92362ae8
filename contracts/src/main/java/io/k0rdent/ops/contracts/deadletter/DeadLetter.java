package io.k0rdent.ops.contracts.deadletter;

import io.k0rdent.ops.contracts.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a consumer gave up on, as stored on a dead-letter topic.
 *
 * @param originalTopic     topic the record was consumed from
 * @param originalPartition its partition
 * @param originalOffset    its offset
 * @param consumerGroup     the consumer group that gave up
 * @param reason            why, as a type
 * @param message           why, for people
 * @param exception         the exception class name, or {@code null}
 * @param failedAt          when
 */
public record DeadLetter(
        String originalTopic,
        int originalPartition,
        long originalOffset,
        String consumerGroup,
        DeadLetterReason reason,
        String message,
        String exception,
        Instant failedAt) {

    /** Longest message kept; a stack of causes can be long and the DLQ is for people to read. */
    static final int MAX_MESSAGE_LENGTH = 2000;

    /** What went wrong with {@code record}, described from an exception. */
    public static DeadLetter of(ConsumerRecord<?, ?> record, String consumerGroup, DeadLetterReason reason,
                                Throwable cause, Instant at) {
        String message = cause == null ? reason.name() : String.valueOf(cause.getMessage());
        return new DeadLetter(record.topic(), record.partition(), record.offset(), consumerGroup, reason,
                truncate(message), cause == null ? null : cause.getClass().getName(), at);
    }

    /**
     * The record to publish on {@code deadLetterTopic}: the original key, value and headers unchanged,
     * plus the {@link DeadLetterHeaders}.
     */
    public ProducerRecord<byte[], byte[]> toRecord(Topic deadLetterTopic, ConsumerRecord<byte[], byte[]> original) {
        Headers headers = new RecordHeaders();
        for (Header header : original.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, originalTopic);
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(originalPartition));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(originalOffset));
        put(headers, DeadLetterHeaders.CONSUMER_GROUP, consumerGroup);
        put(headers, DeadLetterHeaders.REASON, reason.name());
        put(headers, DeadLetterHeaders.MESSAGE, message);
        if (exception != null) {
            put(headers, DeadLetterHeaders.EXCEPTION, exception);
        }
        put(headers, DeadLetterHeaders.FAILED_AT, failedAt.toString());
        return new ProducerRecord<>(deadLetterTopic.name(), null, original.key(), original.value(), headers);
    }

    /** Reads the dead-letter headers of a record from a dead-letter topic; empty if it has none. */
    public static Optional<DeadLetter> from(Headers headers) {
        Optional<String> topic = read(headers, DeadLetterHeaders.ORIGINAL_TOPIC);
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        DeadLetterReason reason = read(headers, DeadLetterHeaders.REASON).flatMap(DeadLetter::reasonOf)
                .orElse(DeadLetterReason.UNPROCESSABLE);
        return Optional.of(new DeadLetter(
                topic.get(),
                read(headers, DeadLetterHeaders.ORIGINAL_PARTITION).map(Integer::parseInt).orElse(-1),
                read(headers, DeadLetterHeaders.ORIGINAL_OFFSET).map(Long::parseLong).orElse(-1L),
                read(headers, DeadLetterHeaders.CONSUMER_GROUP).orElse(null),
                reason,
                read(headers, DeadLetterHeaders.MESSAGE).orElse(""),
                read(headers, DeadLetterHeaders.EXCEPTION).orElse(null),
                read(headers, DeadLetterHeaders.FAILED_AT).map(Instant::parse).orElse(null)));
    }

    /**
     * The record that replays a dead letter to its original topic: original key, value and headers,
     * without the dead-letter headers, marked with where it was replayed from.
     */
    public static ProducerRecord<byte[], byte[]> replayOf(ConsumerRecord<byte[], byte[]> deadLettered,
                                                          String originalTopic) {
        Headers headers = new RecordHeaders();
        for (Header header : deadLettered.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        put(headers, DeadLetterHeaders.REPLAYED_FROM,
                deadLettered.topic() + "/" + deadLettered.partition() + "/" + deadLettered.offset());
        return new ProducerRecord<>(originalTopic, null, deadLettered.key(), deadLettered.value(), headers);
    }

    private static Optional<DeadLetterReason> reasonOf(String name) {
        try {
            return Optional.of(DeadLetterReason.valueOf(name));
        } catch (IllegalArgumentException unknownFromNewerVersion) {
            return Optional.empty();
        }
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> read(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
