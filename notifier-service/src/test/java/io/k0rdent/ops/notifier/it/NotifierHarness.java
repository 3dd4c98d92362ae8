package io.k0rdent.ops.notifier.it;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NotificationEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.notifier.FakeHttpEndpoint;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.k0rdent.ops.sandbox.kafka.junit.TopicSpec;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The notifier on the real broker with its real peers: fresh topics, a local HTTP server for Slack and
 * webhooks, GreenMail for SMTP, and the service started as a Micronaut application context.
 */
final class NotifierHarness implements AutoCloseable {

    static final String TEAM_HOOK = "/services/T0/B0/team";
    static final String DEAD_HOOK = "/services/T0/B0/dead";
    static final String FLAKY_HOOK = "/hooks/flaky";

    final KafkaTestContext kafka;
    final FakeHttpEndpoint http;
    final String definitions;
    final String rejections;
    final String infrastructure;
    final String bootstrap;
    final String notifications;
    final String deliveries;
    final String deadLetters;
    final String groupId;
    private final int smtpPort;
    private final Path secrets;
    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/test"));
    private final KafkaProducer<String, byte[]> producer;
    private final List<ApplicationContext> contexts = new ArrayList<>();

    NotifierHarness(KafkaTestContext kafka, int smtpPort) throws IOException {
        this.kafka = kafka;
        this.smtpPort = smtpPort;
        this.http = new FakeHttpEndpoint();
        List<String> topics = kafka.createTopics(
                TopicSpec.of("definitions", 3), TopicSpec.of("rejections", 1), TopicSpec.of("infrastructure", 3),
                TopicSpec.of("bootstrap", 3), TopicSpec.of("notifications", 3),
                TopicSpec.compacted("deliveries", 3), TopicSpec.of("dlq-notifier", 1));
        definitions = topics.get(0);
        rejections = topics.get(1);
        infrastructure = topics.get(2);
        bootstrap = topics.get(3);
        notifications = topics.get(4);
        deliveries = topics.get(5);
        deadLetters = topics.get(6);
        groupId = kafka.uniqueName("notifier");
        producer = new KafkaProducer<>(kafka.producerProps());
        // Webhook URLs are secrets: they reach the service only through files, as in production.
        secrets = Files.createTempDirectory("notifier-secrets");
        Files.writeString(secrets.resolve("team"), http.url(TEAM_HOOK) + "\n");
        Files.writeString(secrets.resolve("dead"), http.url(DEAD_HOOK));
        Files.writeString(secrets.resolve("flaky"), http.url(FLAKY_HOOK));
        http.always(DEAD_HOOK, new FakeHttpEndpoint.Answer(404, "no_service", Map.of()));
        http.always(FLAKY_HOOK, new FakeHttpEndpoint.Answer(500, "oops", Map.of()));
    }

    /** The service's configuration; {@code overrides} win. */
    Map<String, Object> properties(Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put("k0rdent.notifier.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("k0rdent.notifier.kafka.group-id", groupId);
        p.put("k0rdent.notifier.kafka.poll-timeout", "50ms");
        p.put("k0rdent.notifier.topics.consumed", List.of(definitions, rejections, infrastructure, bootstrap));
        p.put("k0rdent.notifier.topics.notifications", notifications);
        p.put("k0rdent.notifier.topics.deliveries", deliveries);
        p.put("k0rdent.notifier.topics.dead-letters", deadLetters);
        p.put("k0rdent.notifier.digest-window", "200ms");
        p.put("k0rdent.notifier.tick", "50ms");
        p.put("k0rdent.notifier.cooldown", "15m");
        p.put("k0rdent.notifier.repository", "https://git.example.com/platform/clusters.git");
        p.put("k0rdent.notifier.retry.max-attempts", 3);
        p.put("k0rdent.notifier.retry.initial-backoff", "50ms");
        p.put("k0rdent.notifier.retry.max-backoff", "100ms");
        p.put("k0rdent.notifier.retry.http-timeout", "5s");
        p.put("k0rdent.notifier.smtp.host", "127.0.0.1");
        p.put("k0rdent.notifier.smtp.port", smtpPort);
        p.put("k0rdent.notifier.smtp.start-tls", false);
        p.put("k0rdent.notifier.smtp.from", "k0rdent-ops@example.com");
        p.put("k0rdent.notifier.author.enabled", true);
        p.put("k0rdent.notifier.author.allowed-domains", List.of("example.com"));
        p.put("k0rdent.notifier.destinations.team-slack.type", "slack");
        p.put("k0rdent.notifier.destinations.team-slack.url-file", secrets.resolve("team").toString());
        p.put("k0rdent.notifier.destinations.team-slack.min-interval", "100ms");
        p.put("k0rdent.notifier.destinations.dead-slack.type", "slack");
        p.put("k0rdent.notifier.destinations.dead-slack.url-file", secrets.resolve("dead").toString());
        p.put("k0rdent.notifier.destinations.flaky-hook.type", "webhook");
        p.put("k0rdent.notifier.destinations.flaky-hook.url-file", secrets.resolve("flaky").toString());
        p.put("k0rdent.notifier.routes.engineering.labels.team", "engineering");
        p.put("k0rdent.notifier.routes.engineering.destinations", List.of("team-slack"));
        p.put("k0rdent.notifier.routes.doomed.labels.team", "doomed");
        p.put("k0rdent.notifier.routes.doomed.destinations", List.of("dead-slack", "flaky-hook", "team-slack"));
        p.put("k0rdent.notifier.default-destinations", List.of("team-slack"));
        p.putAll(overrides);
        return p;
    }

    ApplicationContext start(Map<String, Object> overrides) {
        ApplicationContext context = ApplicationContext.run(properties(overrides));
        contexts.add(context);
        return context;
    }

    ApplicationContext start() {
        return start(Map.of());
    }

    void publish(ClusterEvent event) {
        send(record(event));
    }

    /** Sends all, then waits once: a burst, not a sequence of round trips. */
    void publishAll(List<? extends ClusterEvent> events) {
        events.forEach(event -> producer.send(record(event)));
        producer.flush();
    }

    private ProducerRecord<String, byte[]> record(ClusterEvent event) {
        String topic = switch (event.type().topic().name()) {
            case "k0rdent.cluster.definitions" -> definitions;
            case "k0rdent.cluster.rejections" -> rejections;
            case "k0rdent.cluster.infrastructure" -> infrastructure;
            case "k0rdent.cluster.bootstrap" -> bootstrap;
            default -> throw new IllegalArgumentException(event.type().toString());
        };
        Headers headers = new RecordHeaders();
        byte[] value = codec.encode(topic, headers, event);
        return new ProducerRecord<>(topic, null, event.key(), value, headers);
    }

    void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of {@code topic}, read to its current end (committed transactions only). */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> props = kafka.consumerProps(kafka.uniqueName("reader"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** The audit events written so far. */
    List<NotificationEvent> audit() {
        return readAll(notifications).stream().map(r -> (NotificationEvent) codec.decode(r)).toList();
    }

    /** The offsets the service's consumer group committed, summed over the consumed topics' partitions. */
    long committedTotal() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> slackTitles(String path) {
        return http.requests(path).stream().map(r -> r.body()).map(NotifierHarness::textOf)
                .collect(Collectors.toList());
    }

    private static String textOf(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("text").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void stop(ApplicationContext context) {
        context.close();
        contexts.remove(context);
    }

    @Override
    public void close() throws IOException {
        new ArrayList<>(contexts).forEach(this::stop);
        producer.close(Duration.ofSeconds(5));
        http.close();
        try (var files = Files.list(secrets)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(secrets);
    }
}
