package io.k0rdent.ops.k0ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterHeaders;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * The inspection commands against a real broker holding the real k0rdent topics: a ready cluster, a
 * failed one, and a poison record in a dead-letter topic. This module's test JVM has its own broker,
 * so the real topic names are used.
 */
@KafkaIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K0opsIT {

    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops-it"));
    private String bootstrap;

    private record Result(int exitCode, String out, String err) {
    }

    private Result k0ops(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = K0ops.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("-b")) {
            all.add("-b");
            all.add(bootstrap);
        }
        int exit = commandLine.execute(all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    @BeforeAll
    void createTopicsAndHistory(KafkaTestContext kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topics.all()) {
            topics.add(new NewTopic(topic.name(), Optional.of(Math.min(topic.partitions(), 3)), Optional.empty())
                    .configs(topic.configs()));
        }
        kafka.admin().createTopics(topics).all().get();

        List<ClusterEvent> history = List.of(
                TestEvents.created("alpha", 0), TestEvents.provisioned("alpha", 40), TestEvents.ready("alpha", 100),
                TestEvents.created("bravo", 5), TestEvents.provisioningFailed("bravo", 20));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            for (ClusterEvent event : history) {
                producer.send(codec.toRecord(event)).get();
            }
        }
        // A poison record that the bootstrap service dead-lettered.
        ConsumerRecord<byte[], byte[]> poison = new ConsumerRecord<>(Topics.INFRASTRUCTURE.name(), 0, 7L, 0L,
                TimestampType.CREATE_TIME, 5, 3, "alpha".getBytes(StandardCharsets.UTF_8), new byte[] {0x00, 0x01, 0x02},
                new RecordHeaders(), Optional.empty());
        Map<String, Object> bytes = kafka.producerProps();
        bytes.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(bytes)) {
            producer.send(DeadLetter.of(poison, "bootstrap", DeadLetterReason.UNDECODABLE,
                    new IllegalArgumentException("NOT_A_CLOUD_EVENT: missing headers"), Instant.now())
                    .toRecord(Topics.DLQ_BOOTSTRAP, poison)).get();
        }
    }

    @Test
    @Order(1)
    void topicsShowsPartitionsAndEndOffsets() {
        Result table = k0ops("topics");
        Result json = k0ops("topics", "-o", "json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("TOPIC", "k0rdent.cluster.definitions", "k0rdent.dlq.bootstrap");
        assertThat(json.out()).contains("{\"topic\":\"k0rdent.cluster.definitions\",\"partitions\":3,\"endOffset\":2");
    }

    @Test
    @Order(2)
    void statusFoldsOneRowPerClusterAndExitsThreeOnFailure() {
        Result status = k0ops("status");

        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out().lines()).anyMatch(l -> l.startsWith("alpha") && l.contains("ready"))
                .anyMatch(l -> l.startsWith("bravo") && l.contains("provisioning-failed")
                        && l.contains("InstanceLimitExceeded"));
    }

    @Test
    @Order(3)
    void timelineListsOneClusterInOrderWithTimeInStage() {
        Result timeline = k0ops("timeline", "alpha");

        assertThat(timeline.exitCode()).isZero();
        List<String> lines = timeline.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("definition.created");
        assertThat(lines.get(1)).contains("infrastructure.provisioned", "+40.0s");
        assertThat(lines.get(2)).contains("bootstrap.ready", "+1m00s");
        assertThat(k0ops("timeline", "nobody").exitCode()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void tailFiltersByClusterAndTypeAndPrintsJson() {
        Result tail = k0ops("tail", "--from-beginning", "--cluster", "bravo", "-o", "json", "--idle-exit", "PT2S");
        Result failed = k0ops("tail", "--from-beginning", "--type", "failed", "-n", "1");

        assertThat(tail.out().lines()).hasSize(2).allMatch(l -> l.contains("\"clusterName\":\"bravo\""));
        assertThat(failed.out().lines()).singleElement().asString().contains("provisioning-failed", "bravo");
    }

    @Test
    @Order(5)
    void tailFollowsNewEvents() throws Exception {
        CompletableFuture<Result> tail = CompletableFuture.supplyAsync(() -> k0ops("tail", "--cluster", "charlie", "-n", "1"));
        int[] produced = {0};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            // tail starts at the end as of its start-up, which the test cannot observe: keep producing until
            // it has printed one.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                producer.send(codec.toRecord(TestEvents.ready("charlie", 200 + produced[0]++))).get();
                return tail.isDone();
            });
        }

        assertThat(tail.get().exitCode()).isZero();
        assertThat(tail.get().out()).contains("charlie", "bootstrap.ready");
    }

    @Test
    @Order(6)
    void deadLettersCanBeListedShownAndReplayedOnce(KafkaTestContext kafka) {
        Result list = k0ops("dlq", "list");
        assertThat(list.out()).contains("k0rdent.dlq.bootstrap/0/0", "k0rdent.cluster.infrastructure/0/7",
                "UNDECODABLE", "NOT_A_CLOUD_EVENT");
        assertThat(list.out().lines().filter(l -> l.startsWith("k0rdent.dlq"))).singleElement().asString()
                .contains(" no ");

        Result show = k0ops("dlq", "show", "k0rdent.dlq.bootstrap/0/0");
        assertThat(show.out()).contains("consumer:    bootstrap", "value:       hex:000102");

        Result replay = k0ops("dlq", "replay", "k0rdent.dlq.bootstrap/0/0");
        assertThat(replay.exitCode()).isZero();
        assertThat(replay.out()).contains("replayed k0rdent.dlq.bootstrap/0/0 to k0rdent.cluster.infrastructure");

        List<ConsumerRecord<byte[], byte[]>> replayed = readAll(kafka, Topics.INFRASTRUCTURE.name());
        assertThat(replayed).filteredOn(r -> r.headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM) != null)
                .singleElement().satisfies(r -> assertThat(r.value()).containsExactly(0x00, 0x01, 0x02));
        assertThat(k0ops("dlq", "list").out()).contains(" yes ");

        Result again = k0ops("dlq", "replay", "k0rdent.dlq.bootstrap/0/0");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("was replayed already; use --force");
    }

    @Test
    @Order(7)
    void unreachableBrokerIsOneClearLine() {
        Result result = k0ops("topics", "-b", "127.0.0.1:1", "--timeout", "PT2S");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("k0ops: Kafka broker unreachable at 127.0.0.1:1")
                .doesNotContain("\tat ");
    }

    @Test
    @Order(8)
    void suspendResumeAndReconcileArePublishedWithWhoAndWhenAndShownInStatus(KafkaTestContext kafka) {
        Result suspend = k0ops("suspend", "alpha", "--reason", "fixing the CNI by hand", "--by",
                "Ada Lovelace <ada@example.com>");
        assertThat(suspend.exitCode()).as(suspend.err()).isZero();
        assertThat(suspend.out()).contains("alpha suspended");
        assertThat(k0ops("status").out().lines()).anyMatch(l -> l.startsWith("alpha") && l.contains("ready (suspended)"));
        assertThat(k0ops("status", "-o", "json").out()).contains("\"suspension\":{\"by\":\"Ada Lovelace\"")
                .contains("\"reason\":\"fixing the CNI by hand\"");

        Result again = k0ops("suspend", "alpha", "--by", "Bob");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already suspended since").contains("by Ada Lovelace (fixing the CNI by hand)");

        Result refused = k0ops("reconcile", "alpha");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("alpha is suspended since").contains("resume it first");

        assertThat(k0ops("resume", "alpha", "--by", "Bob").exitCode()).isZero();
        assertThat(k0ops("status").out().lines()).anyMatch(l -> l.startsWith("alpha") && l.contains("ready")
                && !l.contains("suspended"));
        assertThat(k0ops("resume", "alpha").out()).contains("alpha is not suspended");
        Result reconcile = k0ops("reconcile", "alpha", "--reason", "retry now");
        assertThat(reconcile.exitCode()).as(reconcile.err()).isZero();

        Result unknown = k0ops("reconcile", "nosuch");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no cluster named nosuch");

        List<ClusterEvent> control = readEvents(kafka, Topics.CONTROL.name(), 3);
        assertThat(control).extracting(e -> e.type().ceType()).containsExactly(
                "io.k0rdent.ops.cluster.control.suspended.v1", "io.k0rdent.ops.cluster.control.resumed.v1",
                "io.k0rdent.ops.cluster.control.reconcile-requested.v1");
        assertThat(control.get(0).header().initiator()).isEqualTo(
                new io.k0rdent.ops.contracts.event.Initiator("Ada Lovelace", "ada@example.com"));
        assertThat(control.get(0).header().generation()).as("the generation the person saw").isEqualTo(1);
        assertThat(control.get(1).header().initiator().name()).isEqualTo("Bob");
        assertThat(((io.k0rdent.ops.contracts.event.ControlEvent) control.get(2)).reason()).isEqualTo("retry now");
    }

    private List<ClusterEvent> readEvents(KafkaTestContext kafka, String topic, int expected) {
        Map<String, Object> props = kafka.consumerProps(kafka.uniqueName("control-reader"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ClusterEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> events.add(codec.decode(r)));
            }
        }
        return events;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaTestContext kafka, String topic) {
        Map<String, Object> props = kafka.consumerProps(kafka.uniqueName("reader"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
                if (records.stream().anyMatch(r -> r.headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM) != null)) {
                    break;
                }
            }
        }
        return records;
    }
}
