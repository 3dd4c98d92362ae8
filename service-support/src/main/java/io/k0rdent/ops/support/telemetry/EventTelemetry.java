package io.k0rdent.ops.support.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One service's telemetry for the events it handles, the same way in every service: a CONSUMER span per consumed
 * record continuing the producer's trace, the {@link MetricNames} counters and stage timers, and the MDC log fields.
 * Plain Java over the OpenTelemetry API and Micrometer, so it is unit-testable with an in-memory exporter and a
 * {@code SimpleMeterRegistry}; each service builds one from its beans.
 */
public final class EventTelemetry {

    /** Instrumentation scope name of every span k0rdent-ops starts. */
    public static final String INSTRUMENTATION = "io.k0rdent.ops";

    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation");
    public static final AttributeKey<Long> KAFKA_PARTITION = AttributeKey.longKey("messaging.kafka.destination.partition");
    public static final AttributeKey<Long> KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.message.offset");
    public static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("k0rdent.cluster");
    public static final AttributeKey<Long> GENERATION = AttributeKey.longKey("k0rdent.generation");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");

    /** The CloudEvents binary-mode headers the codec writes; read here so counting needs no decoding. */
    static final String CE_TYPE = "ce_type";
    static final String CE_ID = "ce_id";
    static final String UNKNOWN = "unknown";

    private final Tracer tracer;
    private final MeterRegistry meters;
    private final String service;

    /**
     * @param openTelemetry the service's bean (a no-op unless an agent or SDK was installed at deploy)
     * @param meters        the service's registry
     * @param service       the {@code service} tag value, e.g. {@code provisioner}
     */
    public EventTelemetry(OpenTelemetry openTelemetry, MeterRegistry meters, String service) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION);
        this.meters = Objects.requireNonNull(meters, "meters");
        this.service = Objects.requireNonNull(service, "service");
    }

    public Tracer tracer() {
        return tracer;
    }

    public MeterRegistry meters() {
        return meters;
    }

    public String service() {
        return service;
    }

    /**
     * Starts handling one consumed record: a CONSUMER span {@code <topic> process} whose parent is the trace context
     * in the record's headers, made current; the log fields of the record; and one {@code k0rdent.events.consumed}.
     * Close the result (try-with-resources) on the thread that called this.
     */
    public ConsumedRecord consume(ConsumerRecord<?, ?> record) {
        String type = header(record.headers(), CE_TYPE);
        String eventId = header(record.headers(), CE_ID);
        Context parent = KafkaTraceContext.extract(Context.root(), record.headers());
        SpanBuilder builder = tracer.spanBuilder(record.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_DESTINATION, record.topic())
                .setAttribute(MESSAGING_OPERATION, "process")
                .setAttribute(KAFKA_PARTITION, (long) record.partition())
                .setAttribute(KAFKA_OFFSET, record.offset());
        Object key = record.key();
        String cluster = key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : key == null ? null : key.toString();
        if (cluster != null) {
            builder.setAttribute(CLUSTER, cluster);
        }
        if (eventId != null) {
            builder.setAttribute(EVENT_ID, eventId);
        }
        if (type != null) {
            builder.setAttribute(EVENT_TYPE, type);
        }
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        LogFields fields = LogFields.open().span(span.getSpanContext())
                .put(LogFields.CLUSTER, cluster).put(LogFields.EVENT_ID, eventId);
        counter(MetricNames.EVENTS_CONSUMED, record.topic(), type == null ? UNKNOWN : type).increment();
        return new ConsumedRecord(this, record.topic(), type == null ? UNKNOWN : type, span, scope, fields);
    }

    /**
     * Readies a record for sending: writes the current trace context into its headers (so the consumer's span
     * continues this one) and counts one {@code k0rdent.events.produced} of its CloudEvents type.
     */
    public void produced(ProducerRecord<?, ?> record) {
        produced(record.topic(), record.headers());
    }

    /** As {@link #produced(ProducerRecord)}, for a record whose headers are built before the record. */
    public void produced(String topic, Headers headers) {
        inject(headers);
        countProduced(topic, headers);
    }

    /** Writes the current trace context into {@code headers}, for a record that is counted later. */
    public void inject(Headers headers) {
        KafkaTraceContext.inject(Context.current(), headers);
    }

    /**
     * Counts one {@code k0rdent.events.produced}, for a record that is only known to be written later (a
     * transaction's commit). Records that are not CloudEvents (the gitwatcher's state records) are not counted.
     */
    public void countProduced(String topic, Headers headers) {
        String type = header(headers, CE_TYPE);
        if (type != null) {
            counter(MetricNames.EVENTS_PRODUCED, topic, type).increment();
        }
    }

    /** Counts a record sent to a dead-letter topic; {@code topic} is where the record came from. */
    public void deadLettered(String topic, String reason) {
        Counter.builder(MetricNames.EVENTS_DEAD_LETTERED)
                .tags("service", service, "topic", topic, "reason", reason)
                .register(meters).increment();
    }

    void failed(String topic, String type, String reason) {
        Counter.builder(MetricNames.EVENTS_FAILED)
                .tags("service", service, "topic", topic, "type", type, "reason", reason)
                .register(meters).increment();
    }

    /** An INTERNAL span, child of the current one; the caller ends it (see {@link #inSpan}). */
    public Span startSpan(String name) {
        return tracer.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).startSpan();
    }

    /**
     * Runs {@code work} inside an INTERNAL span named {@code name}, current for its duration; a thrown exception is
     * recorded on the span, which is marked as an error, and rethrown.
     */
    public <T> T inSpan(String name, Supplier<T> work) {
        Span span = startSpan(name);
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /** {@link #inSpan(String, Supplier)} for work without a result. */
    public void inSpan(String name, Runnable work) {
        inSpan(name, () -> {
            work.run();
            return null;
        });
    }

    /** Starts timing one stage ({@code sync}, {@code provision}, ...) for one cluster. */
    public StageTimer stage(String stage) {
        return new StageTimer(this, stage, System.nanoTime());
    }

    /** Records one stage measured elsewhere; see {@link #stage(String)}. */
    public void recordStage(String stage, boolean success, Duration took) {
        Timer.builder(MetricNames.STAGE_DURATION)
                .tags("service", service, "stage", stage, "outcome", success ? "success" : "failure")
                // Stages take seconds to tens of minutes; the histogram is what dashboards take quantiles from.
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(meters).record(took);
    }

    private Counter counter(String name, String topic, String type) {
        return Counter.builder(name).tags("service", service, "topic", topic, "type", type).register(meters);
    }

    static String header(Headers headers, String key) {
        if (headers == null) {
            return null;
        }
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
