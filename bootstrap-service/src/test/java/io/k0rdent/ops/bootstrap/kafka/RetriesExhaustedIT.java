package io.k0rdent.ops.bootstrap.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested.RetirementReason;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A record that keeps failing, through the real broker: handling throws every time (the management cluster's API
 * answers 403 for that cluster's kubeconfig Secret), so after {@code max-record-attempts} the record goes to the
 * dead-letter topic with {@code RETRIES_EXHAUSTED}, its offset is committed, and the record after it on the same
 * partition is processed.
 */
@KafkaIntegrationTest
class RetriesExhaustedIT {

    private static final int ATTEMPTS = 3;

    private final ClusterEventCodec provisioner = new ClusterEventCodec(URI.create("/k0rdent-ops/provisioner"));

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredAfterItsAttemptsAndTheNextRecordIsProcessed(KafkaTestContext kafka)
            throws Exception {
        // One partition: the next record can only be reached once the failing one is dealt with.
        String infrastructure = kafka.createTopic("infrastructure", 1);
        String bootstrap = kafka.createTopic("bootstrap", 1);
        String dlq = kafka.createTopic("dlq-bootstrap", 1);
        String group = kafka.uniqueName("bootstrap");
        AtomicInteger doomedReads = new AtomicInteger();
        HttpServer management = forbiddingManagementApi("/secrets/doomed-kubeconfig", doomedReads);
        try (BootstrapSandbox sandbox = new BootstrapSandbox();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("events")),
                     new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<String, byte[]> deadLetters = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("dlq")),
                     new StringDeserializer(), new ByteArrayDeserializer());
             ApplicationContext service = ApplicationContext.run(Map.ofEntries(
                     Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                     Map.entry("k0rdent.bootstrap.group-id", group),
                     Map.entry("k0rdent.bootstrap.parallelism", "1"),
                     Map.entry("k0rdent.bootstrap.max-record-attempts", Integer.toString(ATTEMPTS)),
                     Map.entry("k0rdent.bootstrap.topics.infrastructure", infrastructure),
                     Map.entry("k0rdent.bootstrap.topics.bootstrap", bootstrap),
                     Map.entry("k0rdent.bootstrap.topics.dead-letter", dlq),
                     Map.entry("k0rdent.bootstrap.ssh.private-key-file", sandbox.keyFile().toString()),
                     Map.entry("k0rdent.bootstrap.kubeconfig.management-kubeconfig",
                             kubeconfig(sandbox.directory(), management).toString())))) {
            assertThat(service.isRunning()).isTrue();
            events.subscribe(List.of(bootstrap));
            deadLetters.subscribe(List.of(dlq));

            NodesRetirementRequested doomed = retirement(sandbox.cluster("doomed", 1, 1));
            RecordHeaders doomedHeaders = new RecordHeaders();
            byte[] doomedValue = provisioner.encode(infrastructure, doomedHeaders, doomed);
            producer.send(new ProducerRecord<>(infrastructure, null, doomed.key(), doomedValue, doomedHeaders)).get();
            // "lucky" has no kubeconfig Secret (404): its retirement is answered with BootstrapFailed, i.e. processed.
            send(producer, infrastructure, retirement(sandbox.cluster("lucky", 1, 1)));

            List<ClusterEvent> published = new ArrayList<>();
            ClusterEventCodec reader = new ClusterEventCodec(URI.create("/test"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                events.poll(Duration.ofMillis(200)).forEach(r -> published.add(reader.decode(r)));
                return !published.isEmpty();
            });
            assertThat(published).singleElement().satisfies(event -> {
                assertThat(event).isInstanceOf(BootstrapFailed.class);
                assertThat(event.header().clusterName()).isEqualTo("lucky");
            });

            // Both offsets are committed: the dead-lettered record's too, so it does not come back.
            TopicPartition input = new TopicPartition(infrastructure, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = kafka.admin().listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get().get(input);
                return committed != null && committed.offset() == 2;
            });
            // Exactly one dead letter: the topic holds one record.
            TopicPartition letters = new TopicPartition(dlq, 0);
            assertThat(kafka.admin().listOffsets(Map.of(letters, OffsetSpec.latest())).partitionResult(letters).get()
                    .offset()).isEqualTo(1);
            assertThat(doomedReads).hasValue(ATTEMPTS);

            List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
            assertThat(received).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("doomed");
                assertThat(record.value()).isEqualTo(doomedValue);
                for (Header header : doomedHeaders) {
                    assertThat(record.headers().lastHeader(header.key())).as(header.key()).isNotNull()
                            .extracting(Header::value).isEqualTo(header.value());
                }
                DeadLetter letter = DeadLetter.from(record.headers()).orElseThrow();
                assertThat(letter.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
                assertThat(letter.originalTopic()).isEqualTo(infrastructure);
                assertThat(letter.originalOffset()).isZero();
                assertThat(letter.consumerGroup()).isEqualTo(group);
                assertThat(letter.exception()).isEqualTo(KubernetesClientException.class.getName());
                assertThat(letter.message()).contains("Forbidden");
            });
        } finally {
            management.stop(0);
        }
    }

    private static NodesRetirementRequested retirement(BootstrapSandbox.Cluster cluster) {
        return new NodesRetirementRequested(BootstrapSandbox.header(cluster.name(), 1, "retire"), List.of(cluster.nodes().get(1)),
                RetirementReason.SCALE_IN);
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, ClusterEvent event) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = provisioner.encode(topic, headers, event);
        producer.send(new ProducerRecord<>(topic, null, event.key(), value, headers)).get();
    }

    /**
     * A management cluster API on loopback that refuses ({@code 403}, which the client does not retry) every request
     * whose path ends with {@code forbiddenSuffix}, counting them, and knows no other object ({@code 404}).
     */
    private static HttpServer forbiddingManagementApi(String forbiddenSuffix, AtomicInteger forbidden) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean refuse = exchange.getRequestURI().getPath().endsWith(forbiddenSuffix);
            if (refuse) {
                forbidden.incrementAndGet();
            }
            int code = refuse ? 403 : 404;
            String reason = refuse ? "Forbidden" : "NotFound";
            byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                    + "\",\"message\":\"" + reason + "\",\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static Path kubeconfig(Path dir, HttpServer server) throws IOException {
        Path file = dir.resolve("forbidding-management.kubeconfig");
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n    server: " + url
                + "\ncontexts:\n- name: m\n  context:\n    cluster: m\n    user: m\n    namespace: " + BootstrapSandbox.NAMESPACE
                + "\ncurrent-context: m\nusers:\n- name: m\n  user:\n    token: management-token\n");
        return file;
    }
}
