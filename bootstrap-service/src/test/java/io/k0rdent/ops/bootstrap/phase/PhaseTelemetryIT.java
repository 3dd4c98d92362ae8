package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.PhaseTiming;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.sandbox.hosts.Fault;
import io.k0rdent.ops.support.telemetry.ConsumedRecord;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.KafkaTraceContext;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap's instrumentation, with the production {@link ClusterBootstrapper} over real SSH against simulated
 * hosts (hence an IT), an in-memory span exporter and a simple registry: one {@code bootstrap phase <PHASE>} span per
 * phase under the record's consumer span, {@code k0rdent.ssh.phase.duration} per phase and outcome, and the
 * {@code bootstrap}/{@code upgrade} stage of {@code k0rdent.stage.duration}.
 */
class PhaseTelemetryIT {

    private static final String TOPIC = "k0rdent.cluster.infrastructure";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final EventTelemetry telemetry = new EventTelemetry(otel, meters, "bootstrap");
    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        otel.close();
    }

    @Test
    void everyPhaseIsASpanUnderTheConsumerSpanAndTimedAndTheRunIsABootstrapStage() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("traced", 1, 1);
        ClusterBootstrapper bootstrapper = sandbox.bootstrapper(telemetry);
        InfrastructureProvisioned event = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);
        SpanContext provisioner = upstreamSpan();

        BootstrapEvent result = consumeAndBootstrap(bootstrapper, event, provisioner);

        assertThat(result).isInstanceOf(ClusterReady.class);
        List<BootstrapPhase> ran = ((ClusterReady) result).phases().stream().map(PhaseTiming::phase).toList();
        assertThat(ran).containsExactlyElementsOf(PhasePlan.ORDER);
        SpanData consumer = consumerSpan();
        // The consumer span continues the provisioner's trace from the record's traceparent.
        assertThat(consumer.getTraceId()).isEqualTo(provisioner.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(provisioner.getSpanId());
        List<SpanData> phases = phaseSpans();
        assertThat(phases).extracting(SpanData::getName)
                .containsExactlyElementsOf(ran.stream().map(p -> "bootstrap phase " + p).toList());
        assertThat(phases).allSatisfy(phase -> {
            assertThat(phase.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(phase.getTraceId()).isEqualTo(provisioner.getTraceId());
            assertThat(phase.getParentSpanId()).as(phase.getName()).isEqualTo(consumer.getSpanId());
            assertThat(phase.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });
        for (BootstrapPhase phase : ran) {
            assertThat(phaseTimer(phase, "success")).as(phase.name()).isEqualTo(1L);
            assertThat(phaseTimer(phase, "failure")).as(phase.name()).isZero();
        }
        assertThat(stage("bootstrap", "success")).isEqualTo(1L);
        assertThat(stage("upgrade", "success")).isZero();
    }

    @Test
    void aFailedPhaseIsAnErrorSpanAndAFailureAndTheNextGenerationIsAnUpgradeStage() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("traced-fail", 1, 1);
        cluster.host(1).fail(new Fault("k0s install worker", 1, "boom", 1));
        ClusterBootstrapper bootstrapper = sandbox.bootstrapper(telemetry);

        BootstrapEvent failed = consumeAndBootstrap(bootstrapper, BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1),
                upstreamSpan());

        assertThat(failed).isInstanceOfSatisfying(BootstrapFailed.class,
                f -> assertThat(f.phase()).isEqualTo(BootstrapPhase.JOIN_WORKERS));
        SpanData join = phaseSpans().stream().filter(s -> s.getName().equals("bootstrap phase JOIN_WORKERS"))
                .findFirst().orElseThrow();
        assertThat(join.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(join.getEvents()).anyMatch(e -> e.getName().equals("exception"));
        assertThat(phaseTimer(BootstrapPhase.JOIN_WORKERS, "failure")).isEqualTo(1L);
        assertThat(phaseTimer(BootstrapPhase.FETCH_KUBECONFIG, "success")).isZero();
        assertThat(stage("bootstrap", "failure")).isEqualTo(1L);

        // The retry resumes and finishes; then a new generation finds k0s on the nodes: an upgrade stage.
        assertThat(consumeAndBootstrap(bootstrapper, BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1), upstreamSpan()))
                .isInstanceOf(ClusterReady.class);
        long upgrades = stage("upgrade", "success");
        assertThat(consumeAndBootstrap(bootstrapper, BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 2), upstreamSpan()))
                .isInstanceOf(ClusterReady.class);
        assertThat(stage("upgrade", "success")).isEqualTo(upgrades + 1);
        assertThat(stage("bootstrap", "failure")).isEqualTo(1L);
    }

    /** What the infrastructure listener does with a record: the bootstrap inside the record's consumer span. */
    private BootstrapEvent consumeAndBootstrap(ClusterBootstrapper bootstrapper, InfrastructureProvisioned event,
                                               SpanContext producedIn) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new ClusterEventCodec(URI.create("/k0rdent-ops/provisioner")).encode(TOPIC, headers, event);
        KafkaTraceContext.inject(Context.root().with(Span.wrap(producedIn)), headers);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(TOPIC, 0, 7L, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, event.key(), value,
                headers, Optional.empty());
        try (ConsumedRecord observed = telemetry.consume(record)) {
            observed.event(event.header().clusterName(), event.header().generation());
            return bootstrapper.bootstrap(event);
        }
    }

    private SpanContext upstreamSpan() {
        Span span = otel.getTracer("provisioner").spanBuilder(TOPIC + " produce").setNoParent().startSpan();
        span.end();
        return span.getSpanContext();
    }

    private SpanData consumerSpan() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER)
                .filter(s -> s.getName().equals(TOPIC + " process")).findFirst().orElseThrow();
    }

    private List<SpanData> phaseSpans() {
        // Finished in the order they ran: each phase ends before the next starts.
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("bootstrap phase ")).toList();
    }

    private long phaseTimer(BootstrapPhase phase, String outcome) {
        Timer timer = meters.find(MetricNames.SSH_PHASE_DURATION).tags("phase", phase.name(), "outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private long stage(String stage, String outcome) {
        Timer timer = meters.find(MetricNames.STAGE_DURATION)
                .tags("service", "bootstrap", "stage", stage, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }
}
