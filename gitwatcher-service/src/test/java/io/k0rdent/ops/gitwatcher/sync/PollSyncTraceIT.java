package io.k0rdent.ops.gitwatcher.sync;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.gitwatcher.support.CommittedRecords;
import io.k0rdent.ops.gitwatcher.support.GitFixture;
import io.k0rdent.ops.gitwatcher.support.GitwatcherApp;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync that only the poll timer asked for (no webhook, so no request span) starts a trace of its own: its
 * {@code gitwatcher sync} span is a root, each such sync a new trace, and every event it commits carries that span's
 * context in its {@code traceparent} header, so the services downstream continue it.
 */
@KafkaIntegrationTest
class PollSyncTraceIT {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("k0rdent.sync.outcome");
    private static OpenTelemetrySdk sdk;

    @BeforeAll
    static void installSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        // The gitwatcher's OpenTelemetry bean is the global one, as the agent would install it at deploy.
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
    }

    @AfterAll
    static void uninstallSdk() {
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    @Test
    void eachPolledSyncIsARootSpanWhoseContextTheCommittedEventsCarry(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a")).write("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16"));
            String first = git.commit("Add a and b");
            git.push();
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                    List.of(GitwatcherApp.repository(git.remoteUrl(), "main", Duration.ofMillis(300))), Map.of())) {
                app.awaitProcessed(first);
                git.write("clusters/a.yaml", cluster("a").withWorkers(5));
                String second = git.commit("Scale a");
                git.push();
                app.awaitProcessed(second);

                List<SpanData> syncs = SPANS.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("gitwatcher sync")).toList();
                // Polls that found nothing new are syncs too; every one is its own trace.
                assertThat(syncs).hasSizeGreaterThanOrEqualTo(2).allSatisfy(sync -> {
                    assertThat(sync.getKind()).isEqualTo(SpanKind.INTERNAL);
                    assertThat(sync.getParentSpanContext().isValid()).as("a root span").isFalse();
                    assertThat(sync.getLinks()).isEmpty();
                    assertThat(sync.getAttributes().get(AttributeKey.stringKey("k0rdent.git.repository")))
                            .isEqualTo(git.remoteUrl());
                    assertThat(sync.getAttributes().get(AttributeKey.stringKey("k0rdent.git.branch")))
                            .isEqualTo("main");
                });
                assertThat(syncs).extracting(SpanData::getTraceId).doesNotHaveDuplicates();
                List<SpanData> processed = syncs.stream().filter(s -> "processed".equals(s.getAttributes().get(OUTCOME)))
                        .toList();
                assertThat(processed).hasSize(2);

                List<ConsumerRecord<String, byte[]>> records = CommittedRecords.read(kafka.bootstrapServers(),
                        app.definitionsTopic(), true);
                // a and b from the first commit, a again from the second.
                assertThat(records).hasSize(3).allSatisfy(record -> {
                    String traceparent = header(record, "traceparent");
                    assertThat(traceparent).as("traceparent of %s", record.key()).isNotNull();
                    String[] parts = traceparent.split("-");
                    assertThat(parts).hasSize(4);
                    assertThat(parts[0]).isEqualTo("00");
                    // The sync that wrote the record: the one whose span id the header names.
                    assertThat(processed).as("sync span of %s", record.key()).anySatisfy(sync -> {
                        assertThat(parts[1]).isEqualTo(sync.getTraceId());
                        assertThat(parts[2]).isEqualTo(sync.getSpanId());
                    });
                });
                // The two commits' events are in two different traces.
                assertThat(records.stream().map(r -> header(r, "traceparent").split("-")[1]).distinct()).hasSize(2);
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
