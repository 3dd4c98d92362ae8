package io.k0rdent.ops.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.k0rdent.ops.sandbox.kafka.junit.TopicSpec;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace from a push webhook to EC2: the gitwatcher and the provisioner, each in its own class loader, exchange the
 * definition event over the real broker, and the spans both record reach one in-memory exporter. The trace must hold
 * together through the Kafka record's {@code traceparent} header, which is what this test is for.
 */
@KafkaIntegrationTest
class CrossServiceTraceIT {

    private static final String SECRET = "tracing-it-webhook-secret";
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static OpenTelemetrySdk sdk;

    @BeforeAll
    static void installSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        // What the OpenTelemetry agent or SDK autoconfiguration does at deploy; set once for this JVM.
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
    }

    @AfterAll
    static void uninstallSdk() {
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    @Test
    void aPushIsOneTraceFromTheWebhookRequestToTheEc2Calls(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        Path root = repositoryRoot();
        List<String> topics = kafka.createTopics(TopicSpec.of("definitions", 3), TopicSpec.of("rejections", 1),
                new TopicSpec("gitwatcher-state", 1, Map.of("cleanup.policy", "compact")),
                TopicSpec.of("bootstrap", 1), TopicSpec.of("infrastructure", 1), TopicSpec.of("dlq", 1));
        String definitions = topics.get(0);

        Path remote = dir.resolve("gitops.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();

        Map<String, Object> repository = new HashMap<>();
        repository.put("url", remote.toUri().toString());
        repository.put("branch", "main");
        // Long enough that only the webhook triggers the sync under test.
        repository.put("poll-interval", "10m");
        repository.put("webhook-secret", SECRET);
        repository.put("webhook-names", List.of("k0rdent/gitops"));
        Map<String, Object> gitwatcher = new HashMap<>();
        gitwatcher.put("micronaut.server.port", -1);
        gitwatcher.put("micronaut.server.host", "127.0.0.1");
        gitwatcher.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        gitwatcher.put("k0rdent.gitwatcher.bootstrap-servers", kafka.bootstrapServers());
        gitwatcher.put("k0rdent.gitwatcher.definitions-topic", definitions);
        gitwatcher.put("k0rdent.gitwatcher.rejections-topic", topics.get(1));
        gitwatcher.put("k0rdent.gitwatcher.state-topic", topics.get(2));
        gitwatcher.put("k0rdent.gitwatcher.transactional-id", kafka.uniqueName("gitwatcher"));
        gitwatcher.put("k0rdent.gitwatcher.mirror-dir", dir.resolve("mirrors").toString());
        gitwatcher.put("k0rdent.gitwatcher.repositories", List.of(repository));

        try (Ec2Emulator ec2 = Ec2Emulator.start(Ec2EmulatorOptions.forTests());
             IsolatedService watcher = IsolatedService.start(root, "gitwatcher-service", gitwatcher, true);
             IsolatedService provisioner = IsolatedService.start(root, "provisioner-service",
                     provisioner(kafka, topics, ec2), false)) {
            // The first poll of an empty branch happens at start; wait for it so the push below is what we trace.
            Thread.sleep(1000);
            SPANS.reset();
            String commit = push(dir.resolve("work"), remote);

            // A caller that is itself traced: the webhook's SERVER span must continue its trace.
            Span caller = sdk.getTracer("test").spanBuilder("git push").setSpanKind(SpanKind.CLIENT).startSpan();
            Map<String, String> headers = new HashMap<>();
            W3CTraceContextPropagator.getInstance().inject(Context.root().with(caller), headers, Map::put);
            byte[] body = ("{\"ref\":\"refs/heads/main\",\"after\":\"" + commit
                    + "\",\"repository\":{\"full_name\":\"k0rdent/gitops\"}}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + watcher.port() + "/webhooks/github"))
                    .header("Content-Type", "application/json")
                    .header("X-GitHub-Event", "push")
                    .header("X-Hub-Signature-256", "sha256=" + hmac(body))
                    .header("traceparent", headers.get("traceparent"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            caller.end();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

            // The consumer span ends last (after the infrastructure event is published), so wait for it too.
            await().atMost(Duration.ofSeconds(90)).until(() -> find("provision").isPresent()
                    && find("EC2 RunInstances").isPresent() && find(definitions + " process").isPresent());

            SpanData push = span("git push");
            SpanData request = span("POST /webhooks/github");
            SpanData sync = span("gitwatcher sync");
            SpanData consumed = span(definitions + " process");
            SpanData provision = span("provision");
            SpanData runInstances = span("EC2 RunInstances");

            assertThat(List.of(request, sync, consumed, provision, runInstances))
                    .allSatisfy(span -> assertThat(span.getTraceId()).as(span.getName()).isEqualTo(push.getTraceId()));
            assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(request.getParentSpanId()).isEqualTo(push.getSpanId());
            assertThat(sync.getParentSpanId()).isEqualTo(request.getSpanId());
            // Across the broker: the provisioner's consumer span is a child of the sync that wrote the record.
            assertThat(consumed.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(consumed.getParentSpanId()).isEqualTo(sync.getSpanId());
            assertThat(consumed.getAttributes().asMap()).containsEntry(
                    io.opentelemetry.api.common.AttributeKey.stringKey("k0rdent.cluster"), "dev-01");
            assertThat(provision.getParentSpanId()).isEqualTo(consumed.getSpanId());
            assertThat(runInstances.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(runInstances.getParentSpanId()).isEqualTo(provision.getSpanId());
        }
    }

    private static Map<String, Object> provisioner(KafkaTestContext kafka, List<String> topics, Ec2Emulator ec2) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("micronaut.server.host", "127.0.0.1");
        p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        p.put("k0rdent.provisioner.bootstrap-servers", kafka.bootstrapServers());
        p.put("k0rdent.provisioner.group-id", kafka.uniqueName("provisioner"));
        p.put("k0rdent.provisioner.definitions-topic", topics.get(0));
        p.put("k0rdent.provisioner.bootstrap-topic", topics.get(3));
        p.put("k0rdent.provisioner.infrastructure-topic", topics.get(4));
        p.put("k0rdent.provisioner.dead-letter-topic", topics.get(5));
        p.put("k0rdent.provisioner.endpoint", ec2.endpoint().toString());
        p.put("k0rdent.provisioner.access-key-id", "test");
        p.put("k0rdent.provisioner.secret-access-key", "test");
        p.put("k0rdent.provisioner.retry-mode", "standard");
        p.put("k0rdent.provisioner.retry-base-delay", "5ms");
        p.put("k0rdent.provisioner.retry-max-backoff", "50ms");
        p.put("k0rdent.provisioner.waiter-poll-interval", "10ms");
        p.put("k0rdent.provisioner.admin-cidr", "192.0.2.0/24");
        p.put("k0rdent.provisioner.drift-enabled", false);
        p.put("k0rdent.provisioner.consumer-threads", 1);
        p.put("k0rdent.provisioner.client-rate-limits", false);
        return p;
    }

    private static String push(Path work, Path remote) throws Exception {
        try (Git git = Git.cloneRepository().setURI(remote.toUri().toString()).setDirectory(work.toFile()).call()) {
            Path clusters = Files.createDirectories(work.resolve("clusters"));
            Files.writeString(clusters.resolve("dev-01.yaml"), """
                    apiVersion: k0rdent.io/v1alpha1
                    kind: Cluster
                    metadata:
                      name: dev-01
                      labels:
                        team: engineering
                    spec:
                      region: us-east-1
                      networking:
                        vpcCidr: "10.0.0.0/16"
                        publicIp: true
                      nodes:
                        controllers:
                          count: 1
                          instanceType: t3.medium
                        workers:
                          count: 1
                          instanceType: t3.large
                      k0s:
                        version: "1.28.3+k0s.0"
                      ssh:
                        keyName: k0rdent
                      deletionProtection: false
                    """);
            git.add().addFilepattern(".").call();
            RevCommit commit = git.commit().setMessage("Add dev-01").setAuthor("Dev", "dev@example.com")
                    .setCommitter("Dev", "dev@example.com").call();
            git.push().setRemote("origin").add("HEAD:refs/heads/main").call();
            return commit.getName();
        }
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static SpanData span(String name) {
        return find(name).orElseThrow(() -> new AssertionError("no span " + name + " among "
                + SPANS.getFinishedSpanItems().stream().map(s -> s.getName() + "/" + s.getKind()).toList()));
    }

    private static Optional<SpanData> find(String name) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("gitwatcher-service")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the repository");
    }
}
