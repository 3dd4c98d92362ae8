package io.k0rdent.ops.support.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

class EventTelemetryTest {

    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EventTelemetry upstream = new EventTelemetry(OTEL.getOpenTelemetry(), meters, "gitwatcher");
    private final EventTelemetry downstream = new EventTelemetry(OTEL.getOpenTelemetry(), meters, "provisioner");

    @Test
    void aConsumedRecordContinuesTheTraceOfTheSpanThatProducedIt() {
        ProducerRecord<String, byte[]> produced = producerRecord("k0rdent.cluster.definitions", "dev-01");
        Span request = upstream.tracer().spanBuilder("POST /webhooks").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = request.makeCurrent()) {
            upstream.produced(produced);
        } finally {
            request.end();
        }

        Map<String, String> duringProcessing = new HashMap<>();
        try (ConsumedRecord consumed = downstream.consume(consumed(produced))) {
            consumed.event("dev-01", 7);
            downstream.inSpan("reconcile", () -> duringProcessing.putAll(MDC.getCopyOfContextMap()));
        }

        List<SpanData> spans = OTEL.getSpans();
        SpanData server = span(spans, "POST /webhooks");
        SpanData consumer = span(spans, "k0rdent.cluster.definitions process");
        SpanData inner = span(spans, "reconcile");
        assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consumer.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(inner.getParentSpanId()).isEqualTo(consumer.getSpanId());
        assertThat(consumer.getAttributes().get(EventTelemetry.MESSAGING_SYSTEM)).isEqualTo("kafka");
        assertThat(consumer.getAttributes().get(EventTelemetry.MESSAGING_DESTINATION))
                .isEqualTo("k0rdent.cluster.definitions");
        assertThat(consumer.getAttributes().get(EventTelemetry.CLUSTER)).isEqualTo("dev-01");
        assertThat(consumer.getAttributes().get(EventTelemetry.GENERATION)).isEqualTo(7L);
        assertThat(consumer.getAttributes().get(EventTelemetry.EVENT_ID)).isEqualTo("id-1");
        assertThat(consumer.getAttributes().get(EventTelemetry.EVENT_TYPE))
                .isEqualTo("io.k0rdent.cluster.definition.changed.v1");

        assertThat(duringProcessing).containsEntry(LogFields.CLUSTER, "dev-01")
                .containsEntry(LogFields.GENERATION, "7")
                .containsEntry(LogFields.EVENT_ID, "id-1")
                .containsEntry(LogFields.TRACE_ID, server.getTraceId());
        assertThat(MDC.get(LogFields.CLUSTER)).as("fields are cleared after the record").isNull();
        assertThat(MDC.get(LogFields.TRACE_ID)).isNull();

        assertThat(meters.counter(MetricNames.EVENTS_PRODUCED, "service", "gitwatcher",
                "topic", "k0rdent.cluster.definitions", "type", "io.k0rdent.cluster.definition.changed.v1").count())
                .isEqualTo(1.0);
        assertThat(meters.counter(MetricNames.EVENTS_CONSUMED, "service", "provisioner",
                "topic", "k0rdent.cluster.definitions", "type", "io.k0rdent.cluster.definition.changed.v1").count())
                .isEqualTo(1.0);
    }

    @Test
    void aRecordWithoutTraceContextStartsANewTrace() {
        ProducerRecord<String, byte[]> produced = producerRecord("t", "dev-01");
        try (ConsumedRecord ignored = downstream.consume(consumed(produced))) {
            assertThat(Span.current().getSpanContext().isValid()).isTrue();
        }
        SpanData consumer = span(OTEL.getSpans(), "t process");
        assertThat(consumer.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aFailureIsCountedWithItsReasonAndMarksTheSpan() {
        try (ConsumedRecord consumed = downstream.consume(consumed(producerRecord("t", "dev-01")))) {
            consumed.failed("RETRIES_EXHAUSTED", new IllegalStateException("boom"));
        }
        assertThat(span(OTEL.getSpans(), "t process").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(meters.counter(MetricNames.EVENTS_FAILED, "service", "provisioner", "topic", "t",
                "type", "io.k0rdent.cluster.definition.changed.v1", "reason", "RETRIES_EXHAUSTED").count())
                .isEqualTo(1.0);
    }

    @Test
    void anExceptionInASpanIsRecordedAndRethrown() {
        assertThatThrownBy(() -> upstream.inSpan("ec2 RunInstances", (Runnable) () -> {
            throw new IllegalStateException("throttled");
        })).hasMessage("throttled");
        SpanData span = span(OTEL.getSpans(), "ec2 RunInstances");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    }

    @Test
    void injectingTwiceLeavesOneParent() {
        Headers headers = new RecordHeaders();
        Span first = upstream.startSpan("first");
        try (Scope ignored = first.makeCurrent()) {
            upstream.produced("t", headers);
        }
        Span second = upstream.startSpan("second");
        try (Scope ignored = second.makeCurrent()) {
            upstream.produced("t", headers);
        }
        assertThat(headers.headers(KafkaTraceContext.TRACEPARENT)).hasSize(1);
        assertThat(new String(headers.lastHeader(KafkaTraceContext.TRACEPARENT).value(), StandardCharsets.UTF_8))
                .contains(second.getSpanContext().getSpanId());
    }

    @Test
    void withoutAnSdkTheIncomingTraceIsHandedOnUnchanged() {
        EventTelemetry untraced = new EventTelemetry(OpenTelemetry.noop(), meters, "bootstrap");
        ProducerRecord<String, byte[]> produced = producerRecord("t", "dev-01");
        Span request = upstream.startSpan("request");
        try (Scope ignored = request.makeCurrent()) {
            upstream.produced(produced);
        }
        ProducerRecord<String, byte[]> next = producerRecord("u", "dev-01");
        try (ConsumedRecord ignored = untraced.consume(consumed(produced))) {
            untraced.produced(next);
        }
        assertThat(new String(next.headers().lastHeader(KafkaTraceContext.TRACEPARENT).value(),
                StandardCharsets.UTF_8)).contains(request.getSpanContext().getTraceId())
                .contains(request.getSpanContext().getSpanId());
    }

    @Test
    void aStageIsTimedWithAHistogram() {
        Map<String, DistributionStatisticConfig> configs = new HashMap<>();
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                configs.put(id.getName(), config);
                return config;
            }
        });
        downstream.stage("provision").success();
        downstream.stage("provision").failure();
        var success = meters.get(MetricNames.STAGE_DURATION).tags("stage", "provision", "outcome", "success").timer();
        assertThat(success.count()).isEqualTo(1);
        assertThat(meters.get(MetricNames.STAGE_DURATION).tags("outcome", "failure").timer().count()).isEqualTo(1);
        assertThat(configs.get(MetricNames.STAGE_DURATION).isPercentileHistogram()).isTrue();
    }

    private static ProducerRecord<String, byte[]> producerRecord(String topic, String cluster) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "io.k0rdent.cluster.definition.changed.v1".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", "id-1".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, cluster, new byte[0], headers);
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> record) {
        return new ConsumerRecord<>(record.topic(), 0, 42L, 0L, TimestampType.CREATE_TIME, 0, 0, record.key(),
                record.value(), record.headers(), java.util.Optional.empty());
    }

    private static SpanData span(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }
}
