package io.k0rdent.ops.k0ops.bench;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.k0ops.up.SandboxLayout;
import io.k0rdent.ops.k0ops.up.SandboxWorld;
import io.k0rdent.ops.k0ops.up.Service;
import io.k0rdent.ops.k0ops.up.ServiceClasspath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Issue 7's benchmark of the whole suite on the sandbox, as {@code k0ops up} runs it (the same {@link SandboxWorld}
 * code, each service its own JVM, the broker its own JVM):
 * <ol>
 *   <li>start time of every part and of the sandbox as a whole, and each process's resident set;</li>
 *   <li>push → {@code ClusterReady} latency for one cluster at a time (zero simulated latency);</li>
 *   <li>one commit adding N clusters → all {@code ClusterReady}: wall time and a per-stage breakdown from the
 *       events' own {@code occurredAt} times, then the resident sets again (peak and current).</li>
 * </ol>
 * Arguments: {@code [clusters in the big commit, default 1000] [single-cluster pushes, default 5]}. The state
 * directory is a fresh temporary one, deleted at the end. Results go to standard output as Markdown.
 */
public final class SandboxBenchmark {

    private static final Duration BIG_COMMIT_LIMIT = Duration.ofMinutes(30);

    /** Per cluster, the first event of each type and when its record was produced (CreateTime, epoch ms). */
    private final Map<String, Map<EventType, Long>> firstByCluster = new ConcurrentHashMap<>();
    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/benchmark"));

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int singles = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        new SandboxBenchmark().run(clusters, singles);
        // Child JVMs watch this process; exiting here stops nothing that is still running.
        System.exit(0);
    }

    private void run(int clusters, int singles) throws Exception {
        Path dir = Files.createTempDirectory("k0ops-bench");
        Path root = System.getProperty("k0ops.repository") != null ? Path.of(System.getProperty("k0ops.repository"))
                : ServiceClasspath.repositoryRoot().orElseThrow(() -> new IllegalStateException(
                        "run from the checkout's target/ classes or set -Dk0ops.repository=<checkout>"));
        // The product's speed, not the simulated AWS's: no eventual-consistency window (docs/benchmarks.md).
        System.setProperty(io.k0rdent.ops.k0ops.up.SandboxPhysics.PROPERTY, "zero");
        // Every cluster has its API load balancer: more than AWS's default 50 per region needs a quota increase.
        System.setProperty(io.k0rdent.ops.k0ops.up.SandboxPhysics.NLB_QUOTA, "100000");
        SandboxLayout layout = new SandboxLayout(dir.resolve(".k0ops"), dir.resolve("gitops"), root, 0, 0);
        Map<String, Long> startMillis = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (SandboxWorld sandbox = SandboxWorld.start(layout, line -> {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            startMillis.putIfAbsent(line, ms);
            System.err.printf(Locale.ROOT, "[%6d ms] %s%n", ms, line);
        })) {
            long started = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("## (c) start\n");
            System.out.println("| step | ready after |");
            System.out.println("|---|---|");
            startMillis.forEach((line, ms) -> {
                if (line.contains(" ready")) {
                    System.out.printf(Locale.ROOT, "| %s | %.1f s |%n", line.replaceAll(" \\(.*", ""), ms / 1000.0);
                }
            });
            System.out.printf(Locale.ROOT, "| **sandbox up, all services answering** | **%.1f s** |%n%n", started / 1000.0);
            printMemory(sandbox, "idle after start");

            try (KafkaConsumer<byte[], byte[]> consumer = consumer(sandbox.bootstrapServers())) {
                consumer.subscribe(Topics.lifecycle().stream().map(Topic::name).toList());
                Path work = sandbox.gitops().workDir();
                String template = Files.readString(work.resolve("templates/cluster-template.yaml"));

                System.out.println("## (a) push → ClusterReady, one cluster at a time\n");
                System.out.println("| cluster | push → ClusterReady seen | push → definition event | → infrastructure | → Ready |");
                System.out.println("|---|---|---|---|---|");
                for (int i = 0; i < singles; i++) {
                    String name = "single-" + i;
                    write(work, name, template, cidr(250, i));
                    Instant pushed = commitAndPush(work, "Add " + name);
                    long seen = awaitAll(consumer, List.of(name), EventType.CLUSTER_READY, Duration.ofMinutes(5));
                    Map<EventType, Long> at = firstByCluster.get(name);
                    System.out.printf(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %d ms |%n", name,
                            seen - pushed.toEpochMilli(),
                            at.get(EventType.CLUSTER_DEFINITION_CREATED) - pushed.toEpochMilli(),
                            at.get(EventType.INFRASTRUCTURE_PROVISIONED) - at.get(EventType.CLUSTER_DEFINITION_CREATED),
                            at.get(EventType.CLUSTER_READY) - at.get(EventType.INFRASTRUCTURE_PROVISIONED));
                }
                System.out.println();

                System.out.println("## (b) one commit adding " + clusters + " clusters\n");
                List<String> names = new ArrayList<>();
                for (int i = 0; i < clusters; i++) {
                    String name = String.format(Locale.ROOT, "bulk-%04d", i);
                    names.add(name);
                    write(work, name, template, cidr(i / 250, i % 250));
                }
                Instant pushed = commitAndPush(work, "Add " + clusters + " clusters");
                long allReady = awaitAll(consumer, names, EventType.CLUSTER_READY, BIG_COMMIT_LIMIT);
                System.out.printf(Locale.ROOT, "All %d ClusterReady seen %.1f s after the push.%n%n", clusters,
                        (allReady - pushed.toEpochMilli()) / 1000.0);
                long notified = awaitAll(consumer, names, EventType.NOTIFICATION_SENT, Duration.ofMinutes(5));
                System.out.printf(Locale.ROOT, "Every cluster's ClusterReady notified (NotificationSent) %.1f s after the push.%n%n",
                        (notified - pushed.toEpochMilli()) / 1000.0);
                printStages(names, pushed);
                printMemory(sandbox, "after " + clusters + " clusters");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private void printStages(List<String> names, Instant pushed) {
        record Stage(String name, EventType from, EventType to) {
        }
        List<Stage> stages = List.of(
                new Stage("gitwatcher: push → ClusterDefinitionCreated", null, EventType.CLUSTER_DEFINITION_CREATED),
                new Stage("provisioner: → InfrastructureProvisioned", EventType.CLUSTER_DEFINITION_CREATED,
                        EventType.INFRASTRUCTURE_PROVISIONED),
                new Stage("bootstrap: → ClusterReady", EventType.INFRASTRUCTURE_PROVISIONED, EventType.CLUSTER_READY),
                new Stage("notifier: → NotificationSent", EventType.CLUSTER_READY, EventType.NOTIFICATION_SENT));
        System.out.println("| stage | per cluster p50 | p95 | max | stage's last event after push |");
        System.out.println("|---|---|---|---|---|");
        for (Stage stage : stages) {
            List<Long> durations = new ArrayList<>();
            long last = 0;
            for (String name : names) {
                Map<EventType, Long> at = firstByCluster.get(name);
                long from = stage.from() == null ? pushed.toEpochMilli() : at.get(stage.from());
                durations.add(at.get(stage.to()) - from);
                last = Math.max(last, at.get(stage.to()) - pushed.toEpochMilli());
            }
            durations.sort(null);
            System.out.printf(Locale.ROOT, "| %s | %.1f s | %.1f s | %.1f s | %.1f s |%n", stage.name(),
                    percentile(durations, 50) / 1000.0, percentile(durations, 95) / 1000.0,
                    durations.get(durations.size() - 1) / 1000.0, last / 1000.0);
        }
        System.out.println();
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** Polls until every cluster in {@code names} has an event of {@code type}; returns when (epoch ms) it saw the last. */
    private long awaitAll(KafkaConsumer<byte[], byte[]> consumer, Collection<String> names, EventType type,
                          Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Predicate<String> done = name -> firstByCluster.getOrDefault(name, Map.of()).containsKey(type);
        while (!names.stream().allMatch(done)) {
            if (System.nanoTime() > deadline) {
                long missing = names.stream().filter(done.negate()).count();
                throw new IllegalStateException(missing + " clusters without " + type + " after " + limit);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    ClusterEvent event = codec.decode(record);
                    if (event instanceof NotificationSent sent
                            && !sent.subjectType().equals(EventType.CLUSTER_READY.ceType())) {
                        continue; // only the message about ClusterReady ends the flow being timed
                    }
                    firstByCluster.computeIfAbsent(event.header().clusterName(), n -> new EnumMap<>(EventType.class))
                            .putIfAbsent(event.type(), record.timestamp());
                } catch (EventDecodingException e) {
                    // Not an event; nothing to time.
                }
            }
        }
        return System.currentTimeMillis();
    }

    /** A distinct /24 per cluster: 10.a.b.0/24. */
    private static String cidr(int a, int b) {
        return "10." + a + "." + b + ".0/24";
    }

    private static void write(Path work, String name, String template, String cidr) throws IOException {
        Files.writeString(work.resolve("clusters/" + name + ".yaml"), template
                .replace("name: dev-01", "name: " + name)
                .replace("\"10.10.0.0/16\"", "\"" + cidr + "\""));
    }

    /** Commits and pushes; returns when the push started, which is when a user would start waiting. */
    private static Instant commitAndPush(Path work, String message) throws Exception {
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            PersonIdent bench = new PersonIdent("Bench", "bench@example.com");
            git.commit().setMessage(message).setAuthor(bench).setCommitter(bench).setSign(false).call();
            Instant pushed = Instant.now();
            git.push().call();
            return pushed;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "k0ops-benchmark-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** Resident set (now and peak) of this JVM (the sandbox's in-process parts), the broker and each service. */
    private static void printMemory(SandboxWorld sandbox, String when) throws IOException {
        System.out.println("### resident memory, " + when + "\n");
        System.out.println("| process | RSS | peak RSS | threads | open files |");
        System.out.println("|---|---|---|---|---|");
        long[] total = new long[2];
        printProcess("k0ops up itself (EC2 emulator, simulated hosts and APIs, SMTP, Slack sink, relay)",
                ProcessHandle.current().pid(), total);
        // The broker is the one child JVM that is not a service.
        java.util.Set<Long> services = java.util.Arrays.stream(Service.values())
                .map(s -> sandbox.service(s).pid()).collect(java.util.stream.Collectors.toSet());
        ProcessHandle.current().children()
                .filter(p -> !services.contains(p.pid()))
                .forEach(p -> printProcess("Kafka broker", p.pid(), total));
        for (Service service : Service.values()) {
            printProcess(service.shortName(), sandbox.service(service).pid(), total);
        }
        System.out.printf(Locale.ROOT, "| **all** | **%d MiB** | | | |%n%n", total[0] / 1024);
    }

    private static void printProcess(String name, long pid, long[] total) {
        try {
            long rss = 0;
            long hwm = 0;
            long threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                } else if (line.startsWith("Threads:")) {
                    threads = kib(line);
                }
            }
            long files;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                files = fds.count();
            }
            total[0] += rss;
            System.out.printf(Locale.ROOT, "| %s | %d MiB | %d MiB | %d | %d |%n", name, rss / 1024, hwm / 1024,
                    threads, files);
        } catch (IOException e) {
            System.out.printf(Locale.ROOT, "| %s | n/a (%s) | | | |%n", name, e.getMessage());
        }
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
