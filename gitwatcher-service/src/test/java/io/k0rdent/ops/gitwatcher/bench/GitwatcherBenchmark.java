package io.k0rdent.ops.gitwatcher.bench;

import io.k0rdent.ops.support.Secret;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.rules.ClusterYaml;
import io.k0rdent.ops.gitwatcher.support.GitFixture;
import io.k0rdent.ops.gitwatcher.sync.SyncScheduler;
import io.k0rdent.ops.gitwatcher.webhook.WebhookSignatureVerifier;
import io.k0rdent.ops.sandbox.kafka.KafkaBroker;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end timings of the gitwatcher on a generated repository of 10,000 cluster files, against the
 * sandbox's real Kafka broker (a child JVM):
 * <ol>
 *   <li>the initial sync (10,000 creations in one transaction);</li>
 *   <li>(b) a commit changing all 10,000 files;</li>
 *   <li>(a) a commit changing one file;</li>
 *   <li>(c) webhook received → event committed on Kafka, over 1,000 pushes (p50/p99).</li>
 * </ol>
 * A phase ends when a {@code read_committed} consumer has seen the phase's last event. Run with
 * {@code mvn -pl gitwatcher-service test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.k0rdent.ops.gitwatcher.bench.GitwatcherBenchmark [-Dexec.args="10000 1000"]}.
 */
public final class GitwatcherBenchmark {

    private static final String SECRET = "bench-secret";

    private final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Integer> countsByCommit = new ConcurrentHashMap<>();
    private final Map<String, Integer> expectedByCommit = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int pushes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        new GitwatcherBenchmark().run(clusters, pushes);
        System.exit(0);
    }

    private void run(int clusters, int pushes) throws Exception {
        Path dir = Files.createTempDirectory("gitwatcher-bench");
        try (KafkaBroker broker = KafkaBrokers.start(KafkaBrokerOptions.forTests());
             GitFixture git = GitFixture.create(dir, "main")) {
            String bootstrap = broker.bootstrapServers();
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String definitions = "bench.definitions." + suffix;
            String rejections = "bench.rejections." + suffix;
            String state = "bench.state." + suffix;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(definitions, 12, (short) 1), new NewTopic(rejections, 12, (short) 1),
                        new NewTopic(state, 1, (short) 1).configs(Topics.GITWATCHER_STATE.configs()))).all().get();
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> consume(bootstrap, definitions, running), "bench-consumer");
            consumer.start();

            long t = System.nanoTime();
            Map<String, String> files = new LinkedHashMap<>();
            for (int i = 0; i < clusters; i++) {
                files.put(path(i), cluster(i).yaml());
            }
            git.writeAll(files);
            String initial = git.commit("10,000 clusters");
            git.push();
            System.out.printf("generated and pushed %,d cluster files in %,d ms%n", clusters, ms(t));

            Map<String, Object> props = new HashMap<>();
            props.put("kafka.bootstrap.servers", bootstrap);
            props.put("micronaut.server.port", -1);
            props.put("k0rdent.gitwatcher.definitions-topic", definitions);
            props.put("k0rdent.gitwatcher.rejections-topic", rejections);
            props.put("k0rdent.gitwatcher.state-topic", state);
            props.put("k0rdent.gitwatcher.transactional-id", "bench-" + suffix);
            props.put("k0rdent.gitwatcher.mirror-dir", dir.resolve("mirrors").toString());
            props.put("k0rdent.gitwatcher.repositories", List.of(Map.of("url", git.remoteUrl(), "branch", "main",
                    "poll-interval", "1h", "webhook-secret", SECRET, "webhook-names", List.of("bench/clusters"))));
            props.put("logger.levels.io.k0rdent.ops.gitwatcher.webhook", "WARN");
            expect(initial, clusters);
            t = System.nanoTime();
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                awaitEvents(initial, Duration.ofMinutes(10));
                System.out.printf("initial sync: %,d ClusterDefinitionCreated committed in %,d ms (start-up included)%n",
                        clusters, ms(t));
                HttpClient http = HttpClient.newHttpClient();

                Map<String, String> all = new LinkedHashMap<>();
                for (int i = 0; i < clusters; i++) {
                    all.put(path(i), cluster(i).withWorkers(4).yaml());
                }
                git.writeAll(all);
                String everything = git.commit("scale all");
                git.push();
                expect(everything, clusters);
                t = System.nanoTime();
                webhook(http, server, everything);
                awaitEvents(everything, Duration.ofMinutes(10));
                System.out.printf("(b) commit changing all %,d files -> %,d ClusterDefinitionUpdated committed: %,d ms%n",
                        clusters, clusters, ms(t));

                git.write(path(0), cluster(0).withWorkers(5));
                String one = git.commit("scale one");
                git.push();
                expect(one, 1);
                t = System.nanoTime();
                webhook(http, server, one);
                awaitEvents(one, Duration.ofMinutes(1));
                System.out.printf("(a) commit changing 1 of %,d files -> event committed: %,d ms%n", clusters, ms(t));

                long[] latencies = new long[pushes];
                for (int p = 0; p < pushes; p++) {
                    int i = (p * 7919) % clusters;
                    git.write(path(i), cluster(i).withWorkers(6 + p % 4));
                    String head = git.commit("push " + p);
                    git.push();
                    expect(head, 1);
                    long start = System.nanoTime();
                    webhook(http, server, head);
                    long arrived = awaitEvents(head, Duration.ofMinutes(1));
                    latencies[p] = arrived - start;
                }
                Arrays.sort(latencies);
                System.out.printf("(c) webhook received -> event committed, %,d pushes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        pushes, latencies[pushes / 2] / 1e6, latencies[(int) Math.ceil(pushes * 0.99) - 1] / 1e6,
                        latencies[pushes - 1] / 1e6);
                System.out.println("status: " + server.getApplicationContext().getBean(SyncScheduler.class).statuses());
            } finally {
                running.set(false);
                consumer.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    private static String path(int i) {
        return "clusters/" + (i % 100) + "/cluster-" + i + ".yaml";
    }

    /** Distinct, non-overlapping /24 blocks inside 10.0.0.0/8 for up to 65,536 clusters. */
    private static ClusterYaml cluster(int i) {
        return ClusterYaml.cluster("cluster-" + i).withCidr("10." + (i / 256) + "." + (i % 256) + ".0/24");
    }

    private void webhook(HttpClient http, EmbeddedServer server, String head) throws Exception {
        byte[] body = ("{\"ref\":\"refs/heads/main\",\"after\":\"" + head
                + "\",\"repository\":{\"full_name\":\"bench/clusters\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + WebhookSignatureVerifier.hmacHex(Secret.of(SECRET), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void expect(String commit, int events) {
        expectedByCommit.put(commit, events);
        arrivals.put(commit, new CompletableFuture<>());
    }

    private long awaitEvents(String commit, Duration timeout) throws Exception {
        return arrivals.get(commit).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts committed events per head commit and completes a commit's future when all its events are in. */
    private void consume(String bootstrap, String topic, AtomicBoolean running) {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/bench"));
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    String commit = codec.decode(record).header().gitCommit();
                    int seen = countsByCommit.merge(commit, 1, Integer::sum);
                    Integer expected = expectedByCommit.get(commit);
                    if (expected != null && seen == expected) {
                        arrivals.get(commit).complete(System.nanoTime());
                    }
                }
            }
        }
    }

    private static long ms(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
