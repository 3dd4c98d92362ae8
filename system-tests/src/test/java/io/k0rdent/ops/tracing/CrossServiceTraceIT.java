package io.k0rdent.ops.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.HostsOptions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.network.EmulatedNetwork;
import io.k0rdent.ops.sandbox.network.LoadBalancerForwarder;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace for a cluster's whole lifecycle, from the push webhook to the notification: the four services, each in
 * its own class loader, exchange the events over the real broker (gitwatcher → definitions → provisioner →
 * infrastructure → bootstrap → bootstrap topic → notifier), the provisioner against the EC2 emulator whose instances
 * are simulated SSH hosts, the bootstrap service against those hosts and a management API, the notifier against a
 * Slack-compatible sink. Every span all four record reaches one in-memory exporter, and the trace must hold together
 * through each Kafka record's {@code traceparent} header, which is what this test is for.
 */
@KafkaIntegrationTest
@Tag("tracing") // its own failsafe execution in system-tests/pom.xml
class CrossServiceTraceIT {

    /** Where the bootstrap service and kubectl connect from, as the twin's network sees it (the admin-cidr). */
    private static final String OPERATOR = "127.0.0.1";

    private static final String SECRET = "tracing-it-webhook-secret";
    private static final String CLUSTER = "dev-01";
    private static final String SLACK_PATH = "/services/T0/B0/tracing";
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    /** Span id → the module whose code started the span ({@code test} for the test's own). */
    private static final Map<String, String> STARTED_BY = new ConcurrentHashMap<>();
    private static final AttributeKey<String> CLUSTER_KEY = AttributeKey.stringKey("k0rdent.cluster");
    private static OpenTelemetrySdk sdk;

    private static final String GITWATCHER = "gitwatcher-service";
    private static final String PROVISIONER = "provisioner-service";
    private static final String BOOTSTRAP = "bootstrap-service";
    private static final String NOTIFIER = "notifier-service";

    /**
     * The simulated hosts' MINA SSHD (the test's class loader, Bouncy Castle on its classpath) would register Bouncy
     * Castle as a JCE provider for the whole JVM; the bootstrap service's own MINA SSHD, in its class loader without
     * Bouncy Castle, would then see the provider and fail to load its classes. In production each runs alone, so
     * both are told to leave Bouncy Castle out here.
     */
    private static final String SSHD_BOUNCY_CASTLE = "org.apache.sshd.security.provider.BC.enabled";

    @BeforeAll
    static void installSdk() {
        System.setProperty(SSHD_BOUNCY_CASTLE, "false");
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(new StartedBy())
                        .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        // What the OpenTelemetry agent or SDK autoconfiguration does at deploy; set once for this JVM.
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
    }

    @AfterAll
    static void uninstallSdk() {
        System.clearProperty(SSHD_BOUNCY_CASTLE);
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    @Test
    void aPushIsOneTraceFromTheWebhookRequestToTheNotification(KafkaTestContext kafka, @TempDir Path dir)
            throws Exception {
        Path root = repositoryRoot();
        List<String> topics = kafka.createTopics(TopicSpec.of("definitions", 3), TopicSpec.of("rejections", 1),
                new TopicSpec("gitwatcher-state", 1, Map.of("cleanup.policy", "compact")),
                TopicSpec.of("bootstrap", 1), TopicSpec.of("infrastructure", 1), TopicSpec.of("dlq-provisioner", 1),
                TopicSpec.of("dlq-bootstrap", 1), TopicSpec.of("notifications", 1),
                new TopicSpec("deliveries", 1, Map.of("cleanup.policy", "compact")), TopicSpec.of("dlq-notifier", 1));
        String definitions = topics.get(0);
        String bootstrapTopic = topics.get(3);
        String infrastructure = topics.get(4);

        Path remote = dir.resolve("gitops.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();

        // The bootstrap service's key, in a file as in production; the simulated hosts authorize its public half.
        KeyPair key = ecKey();
        Path keyFile = dir.resolve("id_ecdsa");
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "tracing-it", null, out);
        }

        try (SimulatedHosts hosts = SimulatedHosts.start(HostsOptions.authorizing(key.getPublic()));
             Ec2Emulator ec2 = Ec2Emulator.start(Ec2EmulatorOptions.forTests().withSshEndpointHook(instance -> {
                 // Every launched instance becomes a simulated host, as in the sandbox (k0ops up).
                 SimulatedHost host = hosts.addHost(instance.instanceId(), "ubuntu");
                 return host.address() + ":" + hosts.port();
             }).withLoadBalancerDns((name, id, region) -> hosts.reserveAddress()));
             // As in the sandbox: the API load balancer answers on its own loopback address, and the network
             // decides which connections arrive (the operator sits inside admin-cidr).
             LoadBalancerForwarder balancers = LoadBalancerForwarder.start(ec2, hosts, OPERATOR,
                     Duration.ofMillis(200));
             ManagementApi management = ManagementApi.start(dir.resolve("management.kubeconfig"));
             SlackSink slack = SlackSink.start();
             IsolatedService watcher = IsolatedService.start(root, GITWATCHER, gitwatcher(kafka, topics, dir, remote),
                     true);
             IsolatedService provisioner = IsolatedService.start(root, PROVISIONER, provisioner(kafka, topics, ec2),
                     false);
             IsolatedService bootstrap = IsolatedService.start(root, BOOTSTRAP,
                     bootstrap(kafka, topics, keyFile, management.kubeconfig()), false);
             IsolatedService notifier = IsolatedService.start(root, NOTIFIER,
                     notifier(kafka, topics, slack.urlFile(dir)), false)) {
            hosts.connectThrough(new EmulatedNetwork(ec2, hosts, OPERATOR));
            // The first poll of an empty branch happens at start; wait for it so the push below is what we trace.
            await().atMost(Duration.ofMinutes(1)).until(() -> find("gitwatcher sync", GITWATCHER).isPresent());
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

            // Provisioning, k0s over SSH and the notification take a while on a busy 2-core machine: no timing is
            // asserted, only that it all happens. The wait is for outcomes (the Ready message reached Slack and every
            // span concerned has ended), not for the relations between spans, which are asserted below.
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() ->
                    slack.bodies().stream().anyMatch(b -> b.contains(CLUSTER + ": ready"))
                            && spans(s -> s.getName().equals("slack send") && NOTIFIER.equals(service(s))).size()
                            >= slack.bodies().size()
                            && bootstrapConsumer(infrastructure).isPresent()
                            && find(bootstrapTopic + " process", NOTIFIER).isPresent()
                            && find(definitions + " process", PROVISIONER).isPresent());

            SpanData push = span("git push", "test");
            SpanData request = span("POST /webhooks/github", GITWATCHER);
            SpanData sync = span("gitwatcher sync", GITWATCHER);
            SpanData provisionerConsumer = span(definitions + " process", PROVISIONER);
            SpanData provision = span("provision", PROVISIONER);
            List<SpanData> ec2Calls = spans(s -> s.getName().startsWith("EC2 ") && PROVISIONER.equals(service(s)));
            SpanData runInstances = span("EC2 RunInstances", PROVISIONER);
            SpanData bootstrapConsumer = bootstrapConsumer(infrastructure).orElseThrow();
            List<SpanData> phases = spans(s -> s.getName().startsWith("bootstrap phase ")
                    && BOOTSTRAP.equals(service(s)));
            // Only ClusterReady is on the bootstrap topic here, and the destination sends one message at a time, the
            // Ready one last.
            SpanData notifierConsumer = span(bootstrapTopic + " process", NOTIFIER);
            SpanData send = spans(s -> s.getName().equals("slack send") && NOTIFIER.equals(service(s))).stream()
                    .max(java.util.Comparator.comparingLong(SpanData::getEndEpochNanos)).orElseThrow();

            // One trace, from the caller of the webhook to the Slack message.
            List<SpanData> chain = new ArrayList<>(List.of(request, sync, provisionerConsumer, provision,
                    bootstrapConsumer, notifierConsumer, send));
            chain.addAll(ec2Calls);
            chain.addAll(phases);
            assertThat(chain).allSatisfy(span ->
                    assertThat(span.getTraceId()).as(span.getName()).isEqualTo(push.getTraceId()));

            // gitwatcher: SERVER span continuing the caller, the sync its child.
            assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(request.getParentSpanId()).isEqualTo(push.getSpanId());
            assertThat(sync.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(sync.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(sync.getAttributes().get(AttributeKey.stringKey("k0rdent.git.repository")))
                    .isEqualTo(remote.toUri().toString());
            assertThat(sync.getAttributes().get(AttributeKey.stringKey("k0rdent.git.branch"))).isEqualTo("main");
            assertThat(sync.getAttributes().get(AttributeKey.stringKey("k0rdent.sync.outcome"))).isEqualTo("processed");

            // Kafka hop 1: the provisioner's consumer span is a child of the sync that wrote the record.
            assertConsumer(provisionerConsumer, definitions, "io.k0rdent.ops.cluster.definition.created.v1");
            assertThat(provisionerConsumer.getParentSpanId()).isEqualTo(sync.getSpanId());
            assertThat(provision.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(provision.getParentSpanId()).isEqualTo(provisionerConsumer.getSpanId());
            assertThat(ec2Calls).extracting(SpanData::getName)
                    .contains("EC2 CreateVpc", "EC2 CreateSubnet", "EC2 CreateSecurityGroup", "EC2 RunInstances");
            assertThat(ec2Calls).allSatisfy(call -> {
                assertThat(call.getKind()).as(call.getName()).isEqualTo(SpanKind.CLIENT);
                assertThat(call.getParentSpanId()).as(call.getName()).isEqualTo(provision.getSpanId());
                assertThat(call.getAttributes().get(AttributeKey.stringKey("rpc.system"))).isEqualTo("aws-api");
                assertThat(call.getAttributes().get(AttributeKey.stringKey("rpc.service"))).isEqualTo("EC2");
                assertThat(call.getAttributes().get(AttributeKey.stringKey("rpc.method")))
                        .isEqualTo(call.getName().substring("EC2 ".length()));
            });
            assertThat(runInstances.getParentSpanId()).isEqualTo(provision.getSpanId());

            // Kafka hop 2: InfrastructureProvisioned is written inside the provisioner's consumer span (after the
            // provision span ended), so the bootstrap service's consumer span is that span's child.
            assertConsumer(bootstrapConsumer, infrastructure, "io.k0rdent.ops.cluster.infrastructure.provisioned.v1");
            assertThat(bootstrapConsumer.getParentSpanId()).isEqualTo(provisionerConsumer.getSpanId());
            assertThat(phases).extracting(SpanData::getName).containsSubsequence(
                    "bootstrap phase CONNECT", "bootstrap phase GATHER_FACTS", "bootstrap phase INSTALL_K0S",
                    "bootstrap phase INIT_CONTROLLER", "bootstrap phase JOIN_WORKERS", "bootstrap phase VERIFY",
                    "bootstrap phase STORE_KUBECONFIG");
            assertThat(phases).allSatisfy(phase -> {
                assertThat(phase.getKind()).as(phase.getName()).isEqualTo(SpanKind.INTERNAL);
                assertThat(phase.getParentSpanId()).as(phase.getName()).isEqualTo(bootstrapConsumer.getSpanId());
            });

            // Kafka hop 3: ClusterReady is written inside the bootstrap service's consumer span.
            assertConsumer(notifierConsumer, bootstrapTopic, "io.k0rdent.ops.cluster.bootstrap.ready.v1");
            assertThat(notifierConsumer.getParentSpanId()).isEqualTo(bootstrapConsumer.getSpanId());

            // The send: later, on the destination's thread; its parent is the record's context (the bootstrap
            // consumer span), so it sits next to the notifier's consumer span in the same trace.
            assertThat(send.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(send.getParentSpanId()).isEqualTo(bootstrapConsumer.getSpanId());
            assertThat(send.getAttributes().get(AttributeKey.stringKey("k0rdent.notification.destination")))
                    .isEqualTo("tracing-slack");
            assertThat(send.getAttributes().get(AttributeKey.stringKey("k0rdent.notification.channel")))
                    .isEqualTo("slack");
            assertThat(send.getAttributes().get(AttributeKey.longKey("k0rdent.notification.events"))).isEqualTo(1L);
            assertThat(send.getAttributes().get(AttributeKey.longKey("k0rdent.notification.attempt"))).isEqualTo(1L);
            assertThat(send.getAttributes().get(AttributeKey.stringKey("k0rdent.notification.outcome")))
                    .isEqualTo("Delivered");
            assertThat(send.getAttributes().get(CLUSTER_KEY)).isEqualTo(CLUSTER);
            assertThat(slack.bodies()).anySatisfy(b -> assertThat(b).contains(CLUSTER + ": ready"));
        }
    }

    private static void assertConsumer(SpanData span, String topic, String type) {
        assertThat(span.getKind()).as(span.getName()).isEqualTo(SpanKind.CONSUMER);
        Map<AttributeKey<?>, Object> attributes = span.getAttributes().asMap();
        assertThat(attributes).as(span.getName())
                .containsEntry(AttributeKey.stringKey("messaging.system"), "kafka")
                .containsEntry(AttributeKey.stringKey("messaging.destination.name"), topic)
                .containsEntry(AttributeKey.stringKey("messaging.operation"), "process")
                .containsEntry(CLUSTER_KEY, CLUSTER)
                .containsEntry(AttributeKey.stringKey("cloudevents.event_type"), type)
                .containsKeys(AttributeKey.longKey("k0rdent.generation"),
                        AttributeKey.longKey("messaging.kafka.destination.partition"),
                        AttributeKey.longKey("messaging.kafka.message.offset"),
                        AttributeKey.stringKey("cloudevents.event_id"));
    }

    /** The bootstrap service's consumer span of the InfrastructureProvisioned record. */
    private static Optional<SpanData> bootstrapConsumer(String infrastructure) {
        return spans(s -> s.getName().equals(infrastructure + " process") && BOOTSTRAP.equals(service(s))).stream()
                .findFirst();
    }

    private static Map<String, Object> gitwatcher(KafkaTestContext kafka, List<String> topics, Path dir, Path remote) {
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
        gitwatcher.put("k0rdent.gitwatcher.definitions-topic", topics.get(0));
        gitwatcher.put("k0rdent.gitwatcher.rejections-topic", topics.get(1));
        gitwatcher.put("k0rdent.gitwatcher.state-topic", topics.get(2));
        gitwatcher.put("k0rdent.gitwatcher.transactional-id", kafka.uniqueName("gitwatcher"));
        gitwatcher.put("k0rdent.gitwatcher.mirror-dir", dir.resolve("mirrors").toString());
        gitwatcher.put("k0rdent.gitwatcher.repositories", List.of(repository));
        return gitwatcher;
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
        p.put("k0rdent.provisioner.admin-cidr", OPERATOR + "/32");
        p.put("k0rdent.provisioner.drift-enabled", false);
        p.put("k0rdent.provisioner.consumer-threads", 1);
        p.put("k0rdent.provisioner.client-rate-limits", false);
        // The emulator's public addresses are unroutable; the simulated host behind each instance is the endpoint.
        p.put("k0rdent.provisioner.ssh-endpoint-tag-is-address", true);
        return p;
    }

    /** As deploy/sandbox-runner up/ServiceSettings configures it for the sandbox, with this test's topics. */
    private static Map<String, Object> bootstrap(KafkaTestContext kafka, List<String> topics, Path keyFile,
                                                 Path managementKubeconfig) {
        Map<String, Object> b = new HashMap<>();
        b.put("micronaut.server.port", -1);
        b.put("micronaut.server.host", "127.0.0.1");
        b.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        b.put("k0rdent.bootstrap.group-id", kafka.uniqueName("bootstrap"));
        b.put("k0rdent.bootstrap.parallelism", 1);
        b.put("k0rdent.bootstrap.topics.infrastructure", topics.get(4));
        b.put("k0rdent.bootstrap.topics.bootstrap", topics.get(3));
        b.put("k0rdent.bootstrap.topics.dead-letter", topics.get(6));
        b.put("k0rdent.bootstrap.ssh.private-key-file", keyFile.toString());
        // Simulated hosts get fresh host keys the provisioner cannot pin: the sandbox-only switch.
        b.put("k0rdent.bootstrap.ssh.accept-unknown-host-keys", true);
        b.put("k0rdent.bootstrap.kubeconfig.management-kubeconfig", managementKubeconfig.toString());
        b.put("k0rdent.bootstrap.kubeconfig.namespace", ManagementApi.NAMESPACE);
        b.put("k0rdent.bootstrap.verify.poll-interval", "200ms");
        b.put("k0rdent.bootstrap.verify.ready-timeout", "2m");
        return b;
    }

    private static Map<String, Object> notifier(KafkaTestContext kafka, List<String> topics, Path slackUrlFile) {
        Map<String, Object> n = new HashMap<>();
        n.put("micronaut.server.port", -1);
        n.put("micronaut.server.host", "127.0.0.1");
        n.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        n.put("k0rdent.notifier.kafka.bootstrap-servers", kafka.bootstrapServers());
        n.put("k0rdent.notifier.kafka.group-id", kafka.uniqueName("notifier"));
        n.put("k0rdent.notifier.kafka.poll-timeout", "100ms");
        // Every lifecycle topic, as deployed.
        n.put("k0rdent.notifier.topics.consumed", List.of(topics.get(0), topics.get(1), topics.get(4), topics.get(3)));
        n.put("k0rdent.notifier.topics.notifications", topics.get(7));
        n.put("k0rdent.notifier.topics.deliveries", topics.get(8));
        n.put("k0rdent.notifier.topics.dead-letters", topics.get(9));
        // No digest: every event is a message of its own, so the Ready message is a single-event one whatever the
        // timing (a digest's send span has its first event's context as parent and links to the others').
        n.put("k0rdent.notifier.digest-window", "0s");
        n.put("k0rdent.notifier.tick", "50ms");
        n.put("k0rdent.notifier.smtp.host", "127.0.0.1");
        n.put("k0rdent.notifier.smtp.port", 2525);
        n.put("k0rdent.notifier.smtp.start-tls", false);
        n.put("k0rdent.notifier.smtp.from", "k0rdent-ops@example.com");
        n.put("k0rdent.notifier.author.enabled", false);
        n.put("k0rdent.notifier.destinations.tracing-slack.type", "slack");
        n.put("k0rdent.notifier.destinations.tracing-slack.url-file", slackUrlFile.toString());
        n.put("k0rdent.notifier.default-destinations", List.of("tracing-slack"));
        return n;
    }

    private static String push(Path work, Path remote) throws Exception {
        try (Git git = Git.cloneRepository().setURI(remote.toUri().toString()).setDirectory(work.toFile()).call()) {
            Path clusters = Files.createDirectories(work.resolve("clusters"));
            Files.writeString(clusters.resolve(CLUSTER + ".yaml"), """
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

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String service(SpanData span) {
        return STARTED_BY.get(span.getSpanId());
    }

    private static SpanData span(String name, String service) {
        return find(name, service).orElseThrow(() -> new AssertionError("no span " + name + " of " + service
                + " among " + SPANS.getFinishedSpanItems().stream()
                .map(s -> s.getName() + "/" + s.getKind() + "/" + service(s)).toList()));
    }

    private static Optional<SpanData> find(String name, String service) {
        return spans(s -> s.getName().equals(name) && service.equals(service(s))).stream().findFirst();
    }

    private static List<SpanData> spans(Predicate<SpanData> filter) {
        return SPANS.getFinishedSpanItems().stream().filter(filter).toList();
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("gitwatcher-service")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the repository");
    }

    /**
     * Notes which service started each span: the first frame on the starting thread's stack whose class came from an
     * isolated service's class loader. All four share one SDK, so the span data alone cannot tell (two services
     * consume the same topic, and their consumer spans have the same name).
     */
    private static final class StartedBy implements SpanProcessor {

        private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
            String module = STACK.walk(frames -> frames
                    .map(frame -> IsolatedService.moduleOf(frame.getDeclaringClass().getClassLoader()))
                    .filter(Objects::nonNull).findFirst()).orElse("test");
            STARTED_BY.put(span.getSpanContext().getSpanId(), module);
        }

        @Override
        public boolean isStartRequired() {
            return true;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    /** The management cluster's Kubernetes API (fabric8's mock server, CRUD mode) and a kubeconfig for it. */
    private static final class ManagementApi implements AutoCloseable {

        static final String NAMESPACE = "k0rdent-system";

        private final KubernetesMockServer server;
        private final Path kubeconfig;

        private ManagementApi(KubernetesMockServer server, Path kubeconfig) {
            this.server = server;
            this.kubeconfig = kubeconfig;
        }

        static ManagementApi start(Path kubeconfig) throws Exception {
            KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                    new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
            server.init(InetAddress.getLoopbackAddress(), 0);
            String url = server.url("/").replaceAll("/$", "").replace("://localhost:", "://127.0.0.1:");
            Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config", "clusters:",
                    "- name: management", "  cluster:", "    server: " + url, "contexts:", "- name: management",
                    "  context:", "    cluster: management", "    user: test", "    namespace: " + NAMESPACE,
                    "current-context: management", "users:", "- name: test", "  user:", "    token: test", ""));
            return new ManagementApi(server, kubeconfig);
        }

        Path kubeconfig() {
            return kubeconfig;
        }

        @Override
        public void close() {
            server.destroy();
        }
    }

    /** A Slack-compatible incoming webhook: answers 200 {@code ok} and keeps every body. */
    private static final class SlackSink implements AutoCloseable {

        private final HttpServer server;
        private final List<String> bodies = new CopyOnWriteArrayList<>();

        private SlackSink(HttpServer server) {
            this.server = server;
        }

        static SlackSink start() throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            SlackSink sink = new SlackSink(server);
            server.createContext(SLACK_PATH, exchange -> {
                try (exchange) {
                    sink.bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                }
            });
            server.start();
            return sink;
        }

        /** A file holding the webhook URL: the notifier reads it as the secret it is. */
        Path urlFile(Path dir) throws Exception {
            Path file = dir.resolve("slack-url");
            Files.writeString(file, "http://127.0.0.1:" + server.getAddress().getPort() + SLACK_PATH);
            return file;
        }

        List<String> bodies() {
            return List.copyOf(bodies);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
