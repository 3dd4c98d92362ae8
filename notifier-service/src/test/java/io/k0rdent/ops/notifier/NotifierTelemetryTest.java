package io.k0rdent.ops.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.notifier.NotificationServiceTest.MemoryRecorder;
import io.k0rdent.ops.notifier.NotificationServiceTest.SinkNotifier;
import io.k0rdent.ops.notifier.config.MeteredDeliveryListener;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
import io.k0rdent.ops.notifier.delivery.RateLimiter;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.delivery.Settlement;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.DigestWindow;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.routing.AuthorPolicy;
import io.k0rdent.ops.notifier.routing.NotificationRouter;
import io.k0rdent.ops.notifier.routing.RoutingPolicy;
import io.k0rdent.ops.notifier.telemetry.InFlightClusters;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.KafkaTraceContext;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier's instrumentation with an in-memory exporter and a simple registry: the send span's parent and links,
 * {@code k0rdent.notifications} by outcome, the notify stage timer and the in-flight gauges. The flow is the real one
 * ({@link NotificationService}, {@link DestinationWorker}, {@link Settlement} under {@link MeteredDeliveryListener});
 * only the channel is a stand-in.
 */
class NotifierTelemetryTest {

    private static final String TOPIC = "k0rdent.cluster.bootstrap";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracing).build();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final EventTelemetry telemetry = new EventTelemetry(otel, meters, "notifier");
    private final MutableClock clock = new MutableClock(TestEvents.T0);
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final RetryPolicy retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1),
            Duration.ofMillis(1));
    private DestinationWorker worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        otel.close();
    }

    private NotificationService service(SendOutcome outcome) {
        MeteredDeliveryListener listener = new MeteredDeliveryListener(
                new Settlement(new MemoryRecorder(), ledger, DeliveryHooks.NONE, clock), meters, telemetry, clock);
        // The worker's waits (retry backoff through its rate limiter) need a clock that moves.
        worker = new DestinationWorker("team-slack", new SinkNotifier(outcome), new RateLimiter(Duration.ZERO), retry,
                Clock.systemUTC(), listener, telemetry.tracer());
        return new NotificationService(
                new NotificationRouter(new RoutingPolicy(List.of(), List.of("team-slack"), AuthorPolicy.disabled()),
                        Set.of("team-slack")),
                ledger, new ClusterHealth(Duration.ofMinutes(15)), new DigestWindow(Duration.ofSeconds(5), 1000),
                new MessageRenderer(null, null),
                Map.of("team-slack", new NotificationService.Destination("team-slack", Channel.SLACK, worker)),
                listener, clock, Duration.ZERO, meters);
    }

    @Test
    void aSingleEventMessageIsSentInTheTraceOfItsRecordAndCountedAsSent() {
        NotificationService service = service(new SendOutcome.Delivered());
        SpanContext producer = producedIn("bootstrap process");
        AtomicInteger settled = new AtomicInteger();

        service.accept(TestEvents.ready("dev-01"), record("dev-01", producer), settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(1));
        SpanData send = sends().get(0);
        assertThat(sends()).hasSize(1);
        assertThat(send.getKind()).isEqualTo(SpanKind.CLIENT);
        // Sent later, on the destination's thread, yet in the trace of the record that carried the event.
        assertThat(send.getTraceId()).isEqualTo(producer.getTraceId());
        assertThat(send.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(send.getLinks()).isEmpty();
        assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(send.getAttributes().asMap())
                .containsEntry(AttributeKey.stringKey("k0rdent.notification.destination"), "team-slack")
                .containsEntry(AttributeKey.stringKey("k0rdent.notification.channel"), "slack")
                .containsEntry(AttributeKey.longKey("k0rdent.notification.events"), 1L)
                .containsEntry(AttributeKey.longKey("k0rdent.notification.attempt"), 1L)
                .containsEntry(AttributeKey.stringKey("k0rdent.notification.outcome"), "Delivered")
                .containsEntry(AttributeKey.stringKey("k0rdent.cluster"), "dev-01");
        // Counted right after the ticket is settled, so possibly a moment later.
        await().untilAsserted(() -> assertThat(notifications("sent")).isEqualTo(1.0));
        assertThat(notifications("failed")).isZero();
        assertThat(notifyStage("success")).isEqualTo(1L);
        assertThat(notifyStage("failure")).isZero();
    }

    @Test
    void aDigestIsSentUnderTheFirstEventsContextAndLinksTheOthers() {
        NotificationService service = service(new SendOutcome.Delivered());
        SpanContext first = producedIn("first");
        SpanContext second = producedIn("second");
        SpanContext third = producedIn("third");
        AtomicInteger settled = new AtomicInteger();

        service.accept(TestEvents.provisioned(TestEvents.header("c-1")), record("c-1", first), settled::incrementAndGet);
        service.accept(TestEvents.provisioned(TestEvents.header("c-2")), record("c-2", second), settled::incrementAndGet);
        service.accept(TestEvents.provisioned(TestEvents.header("c-3")), record("c-3", third), settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(3));
        assertThat(sends()).singleElement().satisfies(send -> {
            assertThat(send.getTraceId()).isEqualTo(first.getTraceId());
            assertThat(send.getParentSpanId()).isEqualTo(first.getSpanId());
            assertThat(send.getLinks()).extracting(LinkData::getSpanContext)
                    .extracting(SpanContext::getTraceId, SpanContext::getSpanId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(second.getTraceId(), second.getSpanId()),
                            org.assertj.core.groups.Tuple.tuple(third.getTraceId(), third.getSpanId()));
            assertThat(send.getAttributes().get(AttributeKey.longKey("k0rdent.notification.events"))).isEqualTo(3L);
            // A digest is about several clusters: no single cluster attribute.
            assertThat(send.getAttributes().get(AttributeKey.stringKey("k0rdent.cluster"))).isNull();
        });
        // One message: one k0rdent.notifications; each event's notify stage is timed.
        await().untilAsserted(() -> assertThat(notifications("sent")).isEqualTo(1.0));
        assertThat(notifyStage("success")).isEqualTo(3L);
    }

    @Test
    void aFailingSendIsAnErrorSpanPerAttemptAndCountedOnceAsFailed() {
        NotificationService service = service(new SendOutcome.RetryLater(null, "HTTP 503"));
        AtomicInteger settled = new AtomicInteger();

        // An event without a source record (no trace context): the send span is a root of its own.
        service.accept(TestEvents.ready("dev-02"), null, settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(1));
        await().untilAsserted(() -> assertThat(notifications("failed")).isEqualTo(1.0));
        assertThat(sends()).hasSize(2).allSatisfy(send -> {
            assertThat(send.getParentSpanContext().isValid()).isFalse();
            assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(send.getAttributes().get(AttributeKey.stringKey("k0rdent.notification.outcome")))
                    .isEqualTo("RetryLater");
        });
        assertThat(sends()).extracting(s -> s.getAttributes().get(AttributeKey.longKey("k0rdent.notification.attempt")))
                .containsExactly(1L, 2L);
        assertThat(notifications("sent")).isZero();
        assertThat(notifyStage("failure")).isEqualTo(1L);
    }

    @Test
    void thePairAlreadyInFlightIsCountedAsDeduped() {
        NotificationService service = service(new SendOutcome.Delivered());
        ClusterEvent ready = TestEvents.ready("dev-03");
        AtomicInteger settled = new AtomicInteger();

        service.accept(ready, null, settled::incrementAndGet);
        assertThat(notifications("deduped")).isZero();
        service.accept(ready, null, settled::incrementAndGet);

        assertThat(notifications("deduped")).isEqualTo(1.0);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        await().untilAsserted(() -> assertThat(notifications("sent")).isEqualTo(1.0));
        // And once delivered, a redelivery of the record is deduped as well.
        service.accept(ready, null, settled::incrementAndGet);
        assertThat(notifications("deduped")).isEqualTo(2.0);
        assertThat(sends()).hasSize(1);
    }

    @Test
    void inFlightGaugesFollowTheLifecycleEventsTime() {
        InFlightClusters inFlight = new InFlightClusters(clock, meters);
        assertThat(gauge(MetricNames.CLUSTERS_IN_FLIGHT)).isZero();

        inFlight.observe(TestEvents.created(TestEvents.header("a")));
        clock.advance(Duration.ofSeconds(60));
        inFlight.observe(TestEvents.provisioned(TestEvents.at(TestEvents.header("b"), clock.instant())));
        clock.advance(Duration.ofSeconds(30));

        assertThat(gauge(MetricNames.CLUSTERS_IN_FLIGHT)).isEqualTo(2.0);
        assertThat(gauge(MetricNames.OLDEST_IN_FLIGHT_AGE)).isEqualTo(90.0);
        assertThat(meters.get(MetricNames.OLDEST_IN_FLIGHT_AGE).gauge().getId().getBaseUnit()).isEqualTo("seconds");

        // a's next event makes it fresh again; b is now the oldest.
        inFlight.observe(TestEvents.provisioned(TestEvents.at(TestEvents.header("a"), clock.instant())));
        assertThat(gauge(MetricNames.OLDEST_IN_FLIGHT_AGE)).isEqualTo(30.0);

        // Ready and rejected end a change.
        inFlight.observe(TestEvents.ready(TestEvents.at(TestEvents.header("a"), clock.instant())));
        assertThat(gauge(MetricNames.CLUSTERS_IN_FLIGHT)).isEqualTo(1.0);
        inFlight.observe(TestEvents.rejected(TestEvents.at(TestEvents.header("b"), clock.instant())));
        assertThat(gauge(MetricNames.CLUSTERS_IN_FLIGHT)).isZero();
        assertThat(gauge(MetricNames.OLDEST_IN_FLIGHT_AGE)).isZero();
    }

    /** The context a record was produced in: a span of another service, ended before the notifier sees it. */
    private SpanContext producedIn(String name) {
        Span span = otel.getTracer("upstream").spanBuilder(name).setNoParent().startSpan();
        span.end();
        return span.getSpanContext();
    }

    private static ConsumerRecord<String, byte[]> record(String cluster, SpanContext producedIn) {
        RecordHeaders headers = new RecordHeaders();
        KafkaTraceContext.inject(Context.root().with(Span.wrap(producedIn)), headers);
        return new ConsumerRecord<>(TOPIC, 0, 0L, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, cluster, "{}".getBytes(StandardCharsets.UTF_8),
                headers, Optional.empty());
    }

    private List<SpanData> sends() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("slack send")).toList();
    }

    private double notifications(String outcome) {
        return meters.counter(MetricNames.NOTIFICATIONS, "channel", "slack", "outcome", outcome).count();
    }

    private long notifyStage(String outcome) {
        var timer = meters.find(MetricNames.STAGE_DURATION)
                .tags("service", "notifier", "stage", "notify", "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
