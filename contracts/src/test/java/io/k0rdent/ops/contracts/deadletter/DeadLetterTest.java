package io.k0rdent.ops.contracts.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private static ConsumerRecord<byte[], byte[]> consumed(String topic, int partition, long offset,
                                                            RecordHeaders headers) {
        return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME, 3, 5,
                "dev-1".getBytes(StandardCharsets.UTF_8), "{oops".getBytes(StandardCharsets.UTF_8), headers,
                Optional.empty());
    }

    @Test
    void deadLetterKeepsTheRecordAndSaysWhereItCameFromAndWhy() {
        RecordHeaders original = new RecordHeaders();
        original.add("ce_type", "io.k0rdent.ops.cluster.bootstrap.ready.v1".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> record = consumed(Topics.INFRASTRUCTURE.name(), 4, 1234L, original);
        Exception cause = new EventDecodingException(EventDecodingException.Reason.MALFORMED_PAYLOAD, "not json");

        DeadLetter letter = DeadLetter.of(record, "provisioner", DeadLetterReason.UNDECODABLE, cause, AT);
        ProducerRecord<byte[], byte[]> out = letter.toRecord(Topics.DLQ_PROVISIONER, record);

        assertThat(out.topic()).isEqualTo("k0rdent.dlq.provisioner");
        assertThat(out.key()).isEqualTo(record.key());
        assertThat(out.value()).isEqualTo(record.value());
        assertThat(out.headers().lastHeader("ce_type").value()).isEqualTo(original.lastHeader("ce_type").value());
        assertThat(DeadLetter.from(out.headers())).contains(new DeadLetter(Topics.INFRASTRUCTURE.name(), 4, 1234L,
                "provisioner", DeadLetterReason.UNDECODABLE, "MALFORMED_PAYLOAD: not json",
                EventDecodingException.class.getName(), AT));
    }

    @Test
    void replayGoesBackToTheOriginalTopicWithoutDeadLetterHeaders() {
        RecordHeaders original = new RecordHeaders();
        original.add("ce_id", "x".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> record = consumed(Topics.BOOTSTRAP.name(), 0, 7L, original);
        ProducerRecord<byte[], byte[]> dead = DeadLetter.of(record, "notifier", DeadLetterReason.UNPROCESSABLE,
                new IllegalStateException("boom"), AT).toRecord(Topics.DLQ_NOTIFIER, record);
        ConsumerRecord<byte[], byte[]> deadConsumed = consumed(dead.topic(), 0, 42L, (RecordHeaders) dead.headers());

        ProducerRecord<byte[], byte[]> replay = DeadLetter.replayOf(deadConsumed, Topics.BOOTSTRAP.name());

        assertThat(replay.topic()).isEqualTo(Topics.BOOTSTRAP.name());
        assertThat(replay.key()).isEqualTo(record.key());
        assertThat(replay.value()).isEqualTo(record.value());
        assertThat(replay.headers().lastHeader("ce_id").value()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(replay.headers().lastHeader(DeadLetterHeaders.REASON)).isNull();
        assertThat(new String(replay.headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM).value(),
                StandardCharsets.UTF_8)).isEqualTo("k0rdent.dlq.notifier/0/42");
    }

    @Test
    void longMessagesAreTruncatedAndRecordsWithoutDeadLetterHeadersAreNotDeadLetters() {
        ConsumerRecord<byte[], byte[]> record = consumed("t", 0, 1L, new RecordHeaders());

        DeadLetter letter = DeadLetter.of(record, "g", DeadLetterReason.RETRIES_EXHAUSTED,
                new RuntimeException("x".repeat(5000)), AT);

        assertThat(letter.message()).hasSize(DeadLetter.MAX_MESSAGE_LENGTH + 1);
        assertThat(DeadLetter.from(new RecordHeaders())).isEmpty();
    }

    @Test
    void decodingFailuresMapToTheirDeadLetterReason() {
        assertThat(DeadLetterReason.of(new EventDecodingException(EventDecodingException.Reason.UNKNOWN_TYPE, "x")))
                .isEqualTo(DeadLetterReason.UNKNOWN_EVENT_TYPE);
        for (EventDecodingException.Reason other : new EventDecodingException.Reason[] {
                EventDecodingException.Reason.NOT_A_CLOUD_EVENT, EventDecodingException.Reason.MALFORMED_PAYLOAD,
                EventDecodingException.Reason.INVALID_CONTENT}) {
            assertThat(DeadLetterReason.of(new EventDecodingException(other, "x"))).isEqualTo(DeadLetterReason.UNDECODABLE);
        }
    }
}
