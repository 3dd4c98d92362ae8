package io.k0rdent.ops.notifier.bench;

import io.k0rdent.ops.support.Secret;
import com.slack.api.Slack;
import com.slack.api.util.json.GsonFactory;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.notifier.FakeHttpEndpoint;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
import io.k0rdent.ops.notifier.delivery.RateLimiter;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.notifier.delivery.Settlement;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.DigestWindow;
import io.k0rdent.ops.notifier.message.MessageContent;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.routing.AuthorPolicy;
import io.k0rdent.ops.notifier.routing.NotificationRouter;
import io.k0rdent.ops.notifier.routing.Route;
import io.k0rdent.ops.notifier.routing.RouteRule;
import io.k0rdent.ops.notifier.routing.RoutingPolicy;
import io.k0rdent.ops.notifier.routing.Severity;
import io.k0rdent.ops.notifier.slack.SlackBlocks;
import io.k0rdent.ops.notifier.slack.SlackNotifier;
import io.k0rdent.ops.sandbox.kafka.KafkaBroker;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokers;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures the notifier; not a test (speed is measured, never asserted).
 *
 * <ol>
 *   <li>CPU: events/s through routing + rendering + Block Kit payload + JSON, no I/O;</li>
 *   <li>pipeline: events/s through the domain flow (route, ledger claim, digest window 0, per-destination worker)
 *       with real HTTP sends by {@link SlackNotifier} to a local sink, no rate limit, in-memory recorder;</li>
 *   <li>end to end on the real broker: a burst of 1,000 events (10 commits × 100 clusters) through the running
 *       service with the Slack limit (1 message/s) enforced; delay from event to recorded delivery.</li>
 * </ol>
 *
 * Run: {@code mvn -pl notifier-service test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.k0rdent.ops.notifier.bench.NotifierBenchmark}
 */
public final class NotifierBenchmark {

    private static final NotificationRouter ROUTER = new NotificationRouter(new RoutingPolicy(
            List.of(new RouteRule("eng", Set.of(), Set.of(), Map.of("team", Set.of("engineering")), List.of("slack")),
                    new RouteRule("errors", Set.of(), Set.of(Severity.ERROR),
                            Map.of(), List.of("oncall"))),
            List.of("slack"), new AuthorPolicy(true, "commit-author", Set.of("example.com"))),
            Set.of("slack", "oncall", "commit-author"));

    private NotifierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Without TCP_NODELAY the JDK's HTTP server answers small requests 40 ms late (Nagle vs delayed ACK),
        // which would measure the sink instead of the notifier.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.out.printf("cpus=%d java=%s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        cpu();
        pipeline();
        endToEnd();
        System.exit(0);
    }

    private static List<ClusterEvent> events(int n) {
        List<ClusterEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EventHeader header = TestEvents.header("cluster-" + i);
            events.add(switch (i % 3) {
                case 0 -> TestEvents.ready(header);
                case 1 -> TestEvents.bootstrapFailed(header);
                default -> TestEvents.provisioned(header);
            });
        }
        return events;
    }

    /** Routing + rendering + Slack payload JSON, single thread. */
    private static void cpu() {
        MessageRenderer renderer = new MessageRenderer("{repository}/commit/{commit}", "https://git.example.com/x");
        var gson = GsonFactory.createSnakeCase();
        List<ClusterEvent> events = events(10_000);
        long bytes = 0;
        for (int round = 0; round < 10; round++) {
            long start = System.nanoTime();
            for (ClusterEvent event : events) {
                for (Route route : ROUTER.route(event)) {
                    MessageContent content = renderer.render(List.of(new Notice(event, null)));
                    bytes += gson.toJson(SlackBlocks.payload(content)).length() + route.destination().length();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("cpu round %d: %,.0f events/s (route+render+Block Kit JSON)%n", round,
                    events.size() / seconds);
        }
        System.out.println("(" + bytes + " bytes rendered)");
    }

    /** The domain flow with real HTTP sends to a local sink; no rate limit, digest window 0. */
    private static void pipeline() throws Exception {
        int n = 3_000;
        try (FakeHttpEndpoint sink = new FakeHttpEndpoint(); Slack slack = Slack.getInstance()) {
            CountDownLatch settled = new CountDownLatch(n);
            DeliveryLedger ledger = new DeliveryLedger();
            Clock clock = Clock.systemUTC();
            Settlement settlement = new Settlement(new NullRecorder(), ledger, DeliveryHooks.NONE, clock);
            RetryPolicy retry = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1));
            DestinationWorker worker = new DestinationWorker("slack",
                    new SlackNotifier(slack, Secret.of(sink.url("/hook")), clock), new RateLimiter(Duration.ZERO),
                    retry, clock, settlement);
            NotificationRouter router = new NotificationRouter(new RoutingPolicy(List.of(), List.of("slack"),
                    AuthorPolicy.disabled()), Set.of("slack"));
            NotificationService service = new NotificationService(router, ledger, new ClusterHealth(Duration.ZERO),
                    new DigestWindow(Duration.ZERO, 1), new MessageRenderer(null, null),
                    Map.of("slack", new NotificationService.Destination("slack", Channel.SLACK, worker)), settlement,
                    clock);
            List<ClusterEvent> events = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Distinct commits: no two events share a digest group, every event is its own HTTP request.
                EventHeader h = TestEvents.header("cluster-" + i);
                events.add(TestEvents.provisioned(new EventHeader(h.eventId(), h.clusterName(), 1, "commit-" + i,
                        null, h.occurredAt(), h.labels(), h.initiator())));
            }
            long start = System.nanoTime();
            for (ClusterEvent event : events) {
                service.accept(event, null, settled::countDown);
                service.flushDue();
            }
            settled.await(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("pipeline: %d events, %d HTTP sends in %.2f s = %,.0f events/s (one destination)%n", n,
                    sink.requests().size(), seconds, n / seconds);
            worker.close();
        }
    }

    /** The running service on the real broker; 1,000 events in 10 commits; Slack at 1 message/s. */
    private static void endToEnd() throws Exception {
        try (KafkaBroker broker = KafkaBrokers.start(KafkaBrokerOptions.forTests());
             FakeHttpEndpoint sink = new FakeHttpEndpoint()) {
            String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> topics = new HashMap<>();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                List<NewTopic> newTopics = new ArrayList<>();
                for (Topic topic : List.of(Topics.INFRASTRUCTURE, Topics.NOTIFICATIONS, Topics.NOTIFIER_DELIVERIES,
                        Topics.DLQ_NOTIFIER)) {
                    String name = topic.name() + suffix;
                    topics.put(topic.name(), name);
                    newTopics.add(new NewTopic(name, topic.partitions(), (short) 1).configs(topic.configs()));
                }
                admin.createTopics(newTopics).all().get();
            }
            Path secret = Files.createTempFile("slack", ".url");
            Files.writeString(secret, sink.url("/hook"));
            Map<String, Object> props = new HashMap<>();
            props.put("k0rdent.notifier.kafka.bootstrap-servers", broker.bootstrapServers());
            props.put("k0rdent.notifier.kafka.group-id", "bench" + suffix);
            props.put("k0rdent.notifier.topics.consumed", List.of(topics.get(Topics.INFRASTRUCTURE.name())));
            props.put("k0rdent.notifier.topics.notifications", topics.get(Topics.NOTIFICATIONS.name()));
            props.put("k0rdent.notifier.topics.deliveries", topics.get(Topics.NOTIFIER_DELIVERIES.name()));
            props.put("k0rdent.notifier.topics.dead-letters", topics.get(Topics.DLQ_NOTIFIER.name()));
            props.put("k0rdent.notifier.digest-window", "2s");
            props.put("k0rdent.notifier.destinations.slack.type", "slack");
            props.put("k0rdent.notifier.destinations.slack.url-file", secret.toString());
            props.put("k0rdent.notifier.destinations.slack.min-interval", "1s");
            props.put("k0rdent.notifier.default-destinations", List.of("slack"));
            try (ApplicationContext ignored = ApplicationContext.run(props);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                         ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                         ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                         ProducerConfig.LINGER_MS_CONFIG, 5))) {
                ClusterEventCodec codec = new ClusterEventCodec(URI.create("/bench"));
                String infra = topics.get(Topics.INFRASTRUCTURE.name());
                Map<UUID, Instant> published = new HashMap<>();
                long start = System.nanoTime();
                for (int i = 0; i < 1000; i++) {
                    EventHeader header = new EventHeader(UUID.randomUUID(), "cluster-" + i, 1, "commit-" + (i % 10),
                            null, Instant.now(), Map.of("team", "engineering"), null);
                    var headers = new RecordHeaders();
                    ClusterEvent event = TestEvents.provisioned(header);
                    published.put(header.eventId(), header.occurredAt());
                    producer.send(new ProducerRecord<>(infra, null, event.key(), codec.encode(infra, headers, event),
                            headers));
                }
                producer.flush();
                double produceSeconds = (System.nanoTime() - start) / 1e9;
                List<Duration> delays = awaitSent(broker.bootstrapServers(), topics.get(Topics.NOTIFICATIONS.name()),
                        1000, codec, published);
                double seconds = (System.nanoTime() - start) / 1e9;
                delays.sort(null);
                System.out.printf("e2e: 1000 events produced in %.2f s, all delivered and recorded after %.1f s; "
                                + "%d Slack messages; delay p50 %.1f s, p95 %.1f s, max %.1f s%n", produceSeconds,
                        seconds, sink.requests().size(), delays.get(500).toMillis() / 1e3,
                        delays.get(950).toMillis() / 1e3, delays.get(999).toMillis() / 1e3);
            } finally {
                Files.deleteIfExists(secret);
            }
        }
    }

    private static List<Duration> awaitSent(String bootstrap, String topic, int expected, ClusterEventCodec codec,
                                            Map<UUID, Instant> published) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Duration> delays = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (delays.size() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    NotificationSent sent = (NotificationSent) codec.decode(record);
                    // The audit event's occurredAt is when the send was recorded.
                    delays.add(Duration.between(published.get(sent.subjectEventId()), sent.header().occurredAt()));
                }
            }
        }
        return delays;
    }

    /** Records nothing; the pipeline measurement is about routing, rendering and sending. */
    private static final class NullRecorder implements DeliveryRecorder {
        @Override
        public void recordDelivered(Delivery delivery, List<LedgerEntry> entries) {
        }

        @Override
        public void recordFailed(Delivery delivery, List<LedgerEntry> entries, String reason, boolean permanent) {
        }

        @Override
        public void forget(List<LedgerEntry> expired) {
        }

        @Override
        public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause) {
        }
    }
}
