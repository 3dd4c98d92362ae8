package io.k0rdent.ops.bootstrap.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.micronaut.configuration.kafka.config.KafkaProducerConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The whole service through the real Kafka broker: InfrastructureProvisioned for three clusters in, ClusterReady out,
 * a poison record dead-lettered without stopping the partition, and the Secret removed on destroy; with
 * {@code kafka.*} client settings that reach the service's Kafka clients.
 */
@KafkaIntegrationTest
class BootstrapKafkaIT {

    private final ClusterEventCodec provisioner = new ClusterEventCodec(URI.create("/k0rdent-ops/provisioner"));

    @Test
    void provisionedBecomesReadyPoisonIsDeadLetteredAndDestroyRemovesTheSecret(KafkaTestContext kafka) throws Exception {
        String infrastructure = kafka.createTopic("infrastructure", 3);
        String bootstrap = kafka.createTopic("bootstrap", 3);
        String dlq = kafka.createTopic("dlq-bootstrap", 1);
        try (BootstrapSandbox sandbox = new BootstrapSandbox();
             ApplicationContext service = ApplicationContext.run(Map.ofEntries(
                     Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                     // Client settings every Kafka client of the service must get (see the assertion below).
                     Map.entry("kafka.security.protocol", "PLAINTEXT"),
                     Map.entry("kafka.client.dns.lookup", "use_all_dns_ips"),
                     Map.entry("k0rdent.bootstrap.group-id", kafka.uniqueName("bootstrap")),
                     Map.entry("k0rdent.bootstrap.parallelism", "2"),
                     Map.entry("k0rdent.bootstrap.topics.infrastructure", infrastructure),
                     Map.entry("k0rdent.bootstrap.topics.bootstrap", bootstrap),
                     Map.entry("k0rdent.bootstrap.topics.dead-letter", dlq),
                     Map.entry("k0rdent.bootstrap.ssh.private-key-file", sandbox.keyFile().toString()),
                     Map.entry("k0rdent.bootstrap.verify.ready-timeout", "5s"),
                     Map.entry("k0rdent.bootstrap.verify.poll-interval", "50ms"),
                     Map.entry("k0rdent.bootstrap.kubeconfig.management-kubeconfig", sandbox.managementKubeconfig().toString())));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("events")),
                     new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> deadLetters = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("dlq")),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(service.isRunning()).isTrue();
            // The service builds no Kafka client by hand: the listener's consumer and this producer are
            // micronaut-kafka's, which start from every kafka.* setting.
            assertThat(service.getBean(KafkaProducerConfiguration.class, Qualifiers.byName("k0rdent-bootstrap")).getConfig())
                    .containsEntry("security.protocol", "PLAINTEXT")
                    .containsEntry("client.dns.lookup", "use_all_dns_ips")
                    .containsEntry("acks", "all");
            BootstrapSandbox.Cluster cluster = sandbox.cluster("kafka-one", 1, 2);
            BootstrapSandbox.Cluster second = sandbox.cluster("kafka-two", 1, 1);
            BootstrapSandbox.Cluster third = sandbox.cluster("kafka-three", 3, 1);
            events.subscribe(List.of(bootstrap));
            deadLetters.subscribe(List.of(dlq));

            // A poison record first, on the same key (and so the same partition) as the real event after it.
            producer.send(new ProducerRecord<>(infrastructure, "kafka-one", "not an event".getBytes(StandardCharsets.UTF_8))).get();
            send(producer, infrastructure, BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));
            send(producer, infrastructure, BootstrapSandbox.provisioned(second, BootstrapSandbox.VERSION, 1));
            send(producer, infrastructure, BootstrapSandbox.provisioned(third, BootstrapSandbox.VERSION, 1));

            List<ClusterEvent> received = new ArrayList<>();
            ClusterEventCodec reader = new ClusterEventCodec(URI.create("/test"));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                events.poll(Duration.ofMillis(200)).forEach(r -> received.add(reader.decode(r)));
                return received.size() >= 3;
            });
            assertThat(received).allSatisfy(e -> assertThat(e).isInstanceOf(ClusterReady.class))
                    .extracting(e -> e.header().clusterName()).containsExactlyInAnyOrder("kafka-one", "kafka-two", "kafka-three");
            ClusterReady ready = (ClusterReady) received.stream().filter(e -> e.header().clusterName().equals("kafka-one"))
                    .findFirst().orElseThrow();
            assertThat(ready.header().clusterName()).isEqualTo("kafka-one");
            assertThat(ready.nodes()).hasSize(2);
            assertThat(ready.kubeconfigSecret().name()).isEqualTo("kafka-one-kubeconfig");
            assertThat(sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE).withName("kafka-one-kubeconfig").get())
                    .isNotNull();

            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(letters::add);
                return !letters.isEmpty();
            });
            DeadLetter letter = DeadLetter.from(letters.get(0).headers()).orElseThrow();
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(letter.originalTopic()).isEqualTo(infrastructure);
            assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not an event");

            send(producer, infrastructure, new InfrastructureDestroyed(BootstrapSandbox.header("kafka-one", 1, "destroyed"), "us-east-1",
                    List.of("vpc-0123456789abcdef0")));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE).withName("kafka-one-kubeconfig").get() == null);
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, ClusterEvent event) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = provisioner.encode(topic, headers, event);
        producer.send(new ProducerRecord<>(topic, null, event.key(), value, headers)).get();
    }
}
