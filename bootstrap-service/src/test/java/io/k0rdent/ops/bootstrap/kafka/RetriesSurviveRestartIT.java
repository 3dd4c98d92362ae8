package io.k0rdent.ops.bootstrap.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.sandbox.hosts.Fault;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * An automatic retry waiting when the bootstrap service stops is run by the next one to own the cluster's partition
 * (issue 18: what a service is responsible for survives restarts). Before, the retry lived only in the stopped
 * process; the record was committed, so the restarted service saw nothing to do and the cluster stayed failed.
 */
@KafkaIntegrationTest
class RetriesSurviveRestartIT {

    private final ClusterEventCodec provisioner = new ClusterEventCodec(URI.create("/k0rdent-ops/provisioner"));

    @Test
    void aRetryWaitingWhenTheServiceStopsIsRunByTheNextOwnerOfThePartition(KafkaTestContext kafka) throws Exception {
        String infrastructure = kafka.createTopic("infrastructure", 3);
        String bootstrap = kafka.createTopic("bootstrap", 3);
        String dlq = kafka.createTopic("dlq-bootstrap", 1);
        String group = kafka.uniqueName("bootstrap");
        try (BootstrapSandbox sandbox = new BootstrapSandbox();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("events")),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<String, Object> settings = Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("k0rdent.bootstrap.group-id", group),
                    Map.entry("k0rdent.bootstrap.parallelism", "1"),
                    Map.entry("k0rdent.bootstrap.topics.infrastructure", infrastructure),
                    Map.entry("k0rdent.bootstrap.topics.bootstrap", bootstrap),
                    Map.entry("k0rdent.bootstrap.topics.dead-letter", dlq),
                    Map.entry("k0rdent.bootstrap.ssh.private-key-file", sandbox.keyFile().toString()),
                    Map.entry("k0rdent.bootstrap.verify.ready-timeout", "5s"),
                    Map.entry("k0rdent.bootstrap.verify.poll-interval", "50ms"),
                    // Long enough for the first service to stop before its retry is due.
                    Map.entry("k0rdent.bootstrap.failure-retry.initial-delay", "4s"),
                    Map.entry("k0rdent.bootstrap.failure-retry.check-interval", "200ms"),
                    Map.entry("k0rdent.bootstrap.kubeconfig.management-kubeconfig",
                            sandbox.managementKubeconfig().toString()));
            BootstrapSandbox.Cluster cluster = sandbox.cluster("restarted-retry", 1, 1);
            // The worker's download fails once (a mirror hiccup): retryable, and the retry succeeds.
            cluster.host(1).fail(new Fault("curl", 22, "curl: (22) 503", 1));
            events.subscribe(List.of(bootstrap));
            List<ClusterEvent> received = new CopyOnWriteArrayList<>();
            ClusterEventCodec reader = new ClusterEventCodec(URI.create("/test"));

            RecordMetadata sent;
            try (ApplicationContext first = ApplicationContext.run(settings)) {
                sent = send(producer, infrastructure,
                        BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    events.poll(Duration.ofMillis(200)).forEach(r -> received.add(reader.decode(r)));
                    return !received.isEmpty();
                });
                assertThat(received.get(0)).isInstanceOfSatisfying(BootstrapFailed.class,
                        f -> assertThat(f.retry().nextAt()).isNotNull());
                // The record is handled (its offset committed) before the service stops, so only the retry is left.
                TopicPartition partition = new TopicPartition(infrastructure, sent.partition());
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin()
                            .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                    return committed.get(partition) != null && committed.get(partition).offset() > sent.offset();
                });
            }

            try (ApplicationContext second = ApplicationContext.run(settings)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    events.poll(Duration.ofMillis(200)).forEach(r -> received.add(reader.decode(r)));
                    return received.size() >= 2;
                });
                assertThat(received.get(1)).isInstanceOf(ClusterReady.class);
                // Taken over once: nothing more comes.
                Thread.sleep(1_000);
                events.poll(Duration.ofMillis(500)).forEach(r -> received.add(reader.decode(r)));
                assertThat(received).hasSize(2);
            }
        }
    }

    private RecordMetadata send(KafkaProducer<String, byte[]> producer, String topic, ClusterEvent event)
            throws Exception {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = provisioner.encode(topic, headers, event);
        return producer.send(new ProducerRecord<>(topic, null, event.key(), value, headers)).get();
    }
}
