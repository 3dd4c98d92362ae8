package io.k0rdent.ops.support.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.ReconcileRequested;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.support.fault.CrashPoint;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.LogFields;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

class ConsumerSkeletonTest {

    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    private static final String TOPIC = "k0rdent.cluster.infrastructure";
    private static final String TYPE = "io.k0rdent.cluster.reconcile.requested.v1";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EventTelemetry telemetry = new EventTelemetry(OTEL.getOpenTelemetry(), meters, "bootstrap");
    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger halts = new AtomicInteger();

    /** The fake decoder: the value is the event's reason, or a word that makes decoding fail. */
    private static ClusterEvent decode(ConsumerRecord<String, byte[]> record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        return switch (value) {
            case "garbage" -> throw new EventDecodingException(EventDecodingException.Reason.MALFORMED_PAYLOAD,
                    "not JSON");
            case "from-the-future" -> throw new EventDecodingException(EventDecodingException.Reason.UNKNOWN_TYPE,
                    "io.k0rdent.cluster.teleported.v9");
            default -> new ReconcileRequested(new EventHeader(UUID.randomUUID(), record.key(), 7, "abc123", null,
                    Instant.EPOCH, Map.of(), null), value);
        };
    }

    private ConsumerSkeleton skeleton(OnFailure onFailure, CrashPoints crashPoints) {
        return new ConsumerSkeleton(ConsumerSkeletonTest::decode, sink, onFailure, telemetry, crashPoints);
    }

    private ConsumerSkeleton skeleton(OnFailure onFailure) {
        return skeleton(onFailure, CrashPoints.none());
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", TYPE.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", ("id-" + offset).getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(TOPIC, 0, offset, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                -1, -1, "dev-01", value.getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
    }

    private double failed(String type, String reason) {
        return meters.counter(MetricNames.EVENTS_FAILED, "service", "bootstrap", "topic", TOPIC, "type", type,
                "reason", reason).count();
    }

    private double deadLettered(String reason) {
        return meters.counter(MetricNames.EVENTS_DEAD_LETTERED, "service", "bootstrap", "topic", TOPIC,
                "reason", reason).count();
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsDecodingReasonWithoutReachingTheHandler() {
        List<ClusterEvent> handled = new ArrayList<>();
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(3));

        skeleton.consume(record(0, "garbage"), handled::add);
        skeleton.consume(record(1, "from-the-future"), handled::add);

        assertThat(handled).isEmpty();
        assertThat(sink.letters).extracting(Letter::offset, Letter::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, DeadLetterReason.UNDECODABLE),
                org.assertj.core.groups.Tuple.tuple(1L, DeadLetterReason.UNKNOWN_EVENT_TYPE));
        assertThat(sink.letters.get(0).cause()).isInstanceOf(EventDecodingException.class);
        assertThat(failed(TYPE, "UNDECODABLE")).isEqualTo(1);
        assertThat(deadLettered("UNDECODABLE")).isEqualTo(1);
        assertThat(deadLettered("UNKNOWN_EVENT_TYPE")).isEqualTo(1);
    }

    @Test
    void aRecordThatKeepsFailingIsDeliveredAgainUntilItsBudgetIsSpentThenDeadLetteredAndTheConsumerMovesOn() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(3));
        AtomicInteger attempts = new AtomicInteger();
        EventHandler failing = event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("management cluster unavailable");
        };
        ConsumerRecord<String, byte[]> record = record(5, "redrive");

        assertThatThrownBy(() -> skeleton.consume(record, failing)).hasMessage("management cluster unavailable");
        assertThatThrownBy(() -> skeleton.consume(record, failing)).hasMessage("management cluster unavailable");
        assertThat(sink.letters).as("not before the budget is spent").isEmpty();
        skeleton.consume(record, failing);

        assertThat(attempts).hasValue(3);
        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.offset()).isEqualTo(5);
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
            assertThat(letter.cause()).hasMessage("management cluster unavailable");
        });
        assertThat(failed(TYPE, "retry")).isEqualTo(2);
        assertThat(failed(TYPE, "RETRIES_EXHAUSTED")).isEqualTo(1);
        assertThat(deadLettered("RETRIES_EXHAUSTED")).isEqualTo(1);

        // The next record of the partition has a budget of its own.
        List<ClusterEvent> handled = new ArrayList<>();
        skeleton.consume(record(6, "next"), handled::add);
        assertThat(handled).singleElement().isInstanceOfSatisfying(ReconcileRequested.class,
                r -> assertThat(r.reason()).isEqualTo("next"));
    }

    @Test
    void aRecordThatSucceedsAfterAFailureStartsAgainWithAFullBudget() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(2));
        ConsumerRecord<String, byte[]> record = record(1, "redrive");
        EventHandler failing = event -> {
            throw new IllegalStateException("down");
        };

        assertThatThrownBy(() -> skeleton.consume(record, failing)).isInstanceOf(IllegalStateException.class);
        skeleton.consume(record, event -> { });
        // Delivered again later (a rebalance): one failure is one, not the budget's second.
        assertThatThrownBy(() -> skeleton.consume(record, failing)).isInstanceOf(IllegalStateException.class);
        assertThat(sink.letters).isEmpty();
    }

    @Test
    void aDeadLetterThatCannotBeSentLeavesTheRecordToBeDeliveredAgainWithAFreshBudget() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(1));
        ConsumerRecord<String, byte[]> record = record(3, "redrive");
        AtomicInteger attempts = new AtomicInteger();
        EventHandler failing = event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        };
        sink.failWith = new IllegalStateException("broker unavailable");

        assertThatThrownBy(() -> skeleton.consume(record, failing)).hasMessage("broker unavailable");
        sink.failWith = null;
        skeleton.consume(record, failing);

        assertThat(attempts).as("tried again, not dead-lettered untried").hasValue(2);
        assertThat(sink.letters).singleElement().extracting(Letter::reason)
                .isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
    }

    @Test
    void anEventThatCannotBeActedOnIsDeadLetteredAtOnceWhateverTheBudget() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(5));

        skeleton.consume(record(2, "redrive"), event -> {
            throw new UnprocessableEventException("no such cluster: dev-01");
        });

        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.UNPROCESSABLE);
            assertThat(letter.cause()).hasMessage("no such cluster: dev-01");
        });
        assertThat(failed(TYPE, "UNPROCESSABLE")).isEqualTo(1);
        assertThat(failed(TYPE, "retry")).isZero();
    }

    @Test
    void withoutRetriesAFailureIsDeadLetteredAsUnprocessableAtOnce() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.deadLetterAtOnce());

        skeleton.consume(record(4, "notify"), event -> {
            throw new IllegalArgumentException("no route");
        });

        assertThat(sink.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.UNPROCESSABLE);
            assertThat(letter.cause()).isInstanceOf(IllegalArgumentException.class);
        });
        assertThat(failed(TYPE, "retry")).isZero();
        assertThat(deadLettered("UNPROCESSABLE")).isEqualTo(1);
    }

    @Test
    void theAfterHandledCrashPointHaltsAfterTheEffectOnItsPassAndNotForFailuresOrDeadLetters() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(2),
                new CrashPoints(CrashPoint.AFTER_HANDLED, 2, halts::incrementAndGet));
        List<String> effects = new ArrayList<>();
        EventHandler effect = event -> effects.add(((ReconcileRequested) event).reason());

        skeleton.consume(record(0, "first"), effect);
        assertThatThrownBy(() -> skeleton.consume(record(1, "x"), event -> {
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class);
        skeleton.consume(record(2, "garbage"), effect);
        skeleton.consume(record(3, "unprocessable"), event -> {
            throw new UnprocessableEventException("no");
        });
        assertThat(halts).as("only handled records pass the point").hasValue(0);

        skeleton.consume(record(4, "second"), event -> {
            assertThat(halts).as("the effect comes before the halt").hasValue(0);
            effect.handle(event);
        });
        assertThat(halts).hasValue(1);
        assertThat(effects).containsExactly("first", "second");
    }

    @Test
    void anotherArmedPointDoesNotHaltTheConsumer() {
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(2),
                new CrashPoints(CrashPoint.AFTER_LAUNCH, 1, halts::incrementAndGet));

        skeleton.consume(record(0, "first"), event -> { });

        assertThat(halts).hasValue(0);
    }

    @Test
    void eachRecordIsHandledInAConsumerSpanContinuingTheProducersTraceWithItsLogFieldsAndCounters() {
        ConsumerRecord<String, byte[]> record = record(9, "redrive");
        Span producer = telemetry.tracer().spanBuilder("publish").setSpanKind(SpanKind.PRODUCER).startSpan();
        try (Scope ignored = producer.makeCurrent()) {
            telemetry.inject(record.headers());
        } finally {
            producer.end();
        }
        ConsumerSkeleton skeleton = skeleton(OnFailure.retryWithin(2));
        Map<String, String> duringHandling = new HashMap<>();

        skeleton.consume(record, event -> duringHandling.putAll(MDC.getCopyOfContextMap()));
        assertThatThrownBy(() -> skeleton.consume(record(10, "x"), event -> {
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class);

        SpanData parent = OTEL.getSpans().stream().filter(s -> s.getName().equals("publish")).findFirst().orElseThrow();
        List<SpanData> consumed = OTEL.getSpans().stream().filter(s -> s.getName().equals(TOPIC + " process"))
                .toList();
        assertThat(consumed).hasSize(2);
        SpanData handled = consumed.get(0);
        assertThat(handled.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(handled.getTraceId()).isEqualTo(parent.getTraceId());
        assertThat(handled.getParentSpanId()).isEqualTo(parent.getSpanId());
        assertThat(handled.getAttributes().get(EventTelemetry.GENERATION)).isEqualTo(7L);
        assertThat(handled.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        assertThat(consumed.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(duringHandling).containsEntry(LogFields.CLUSTER, "dev-01").containsEntry(LogFields.GENERATION, "7")
                .containsEntry(LogFields.EVENT_ID, "id-9").containsEntry(LogFields.TRACE_ID, parent.getTraceId());
        assertThat(MDC.get(LogFields.CLUSTER)).as("fields are cleared after the record").isNull();
        assertThat(meters.counter(MetricNames.EVENTS_CONSUMED, "service", "bootstrap", "topic", TOPIC, "type", TYPE)
                .count()).isEqualTo(2);
        assertThat(failed(TYPE, "retry")).isEqualTo(1);
    }

    private record Letter(long offset, DeadLetterReason reason, Throwable cause) {
    }

    /** The fake dead-letter topic; fails while {@link #failWith} is set, as an unavailable broker does. */
    private static final class RecordingSink implements DeadLetterSink {
        private final List<Letter> letters = new ArrayList<>();
        private RuntimeException failWith;

        @Override
        public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause) {
            if (failWith != null) {
                throw failWith;
            }
            letters.add(new Letter(record.offset(), reason, cause));
        }
    }
}
