package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.support.consumer.RawRecords;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.KafkaClientBinder;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the provisioner's events and dead letters, synchronously: a call returns only when the broker has the
 * record ({@code acks=all}), which is what lets the listeners commit their offset right after.
 */
@Singleton
public class EventPublisher {

    /** The CloudEvents source of everything the provisioner produces. */
    public static final URI SOURCE = URI.create("/k0rdent-ops/provisioner");

    private final ProvisionerProperties properties;
    private final ClusterEventCodec codec = new ClusterEventCodec(SOURCE);
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;
    private final EventTelemetry telemetry;

    public EventPublisher(ProvisionerProperties properties, Clock clock, KafkaDefaultConfiguration kafka,
                          EventTelemetry telemetry, KafkaClientBinder clientMetrics) {
        this.properties = properties;
        this.clock = clock;
        this.telemetry = telemetry;
        this.producer = new KafkaProducer<>(producerConfig(kafka, properties),
                new ByteArraySerializer(), new ByteArraySerializer());
        // A hand-built client: micronaut-kafka binds only the clients it creates, so its metrics are bound here.
        clientMetrics.bind(producer);
    }

    /**
     * The producer's configuration: every {@code kafka.*} setting (security protocol, SASL, TLS, DNS lookup, ...),
     * as micronaut-kafka gives its own clients, because this producer is built by hand and would otherwise connect
     * without them; then what this producer needs regardless of configuration.
     */
    static Map<String, Object> producerConfig(KafkaDefaultConfiguration kafka, ProvisionerProperties properties) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.groupId() + "-producer");
        return config;
    }

    public ClusterEventCodec codec() {
        return codec;
    }

    /** Publishes infrastructure events to the configured infrastructure topic, in order, keyed by cluster. */
    public void publish(List<? extends ClusterEvent> events) {
        for (ClusterEvent event : events) {
            String topic = event.type().topic().equals(Topics.INFRASTRUCTURE) ? properties.infrastructureTopic()
                    : event.type().topic().name();
            RecordHeaders headers = new RecordHeaders();
            byte[] value = codec.encode(topic, headers, event);
            telemetry.produced(topic, headers);
            send(new ProducerRecord<>(topic, null, event.key().getBytes(StandardCharsets.UTF_8), value, headers));
        }
    }

    /**
     * Sends {@code record} to the dead-letter topic with the reason; the original bytes and headers are kept as they
     * were. The {@code ConsumerSkeleton} counts it.
     */
    public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause) {
        Topic topic = new Topic(properties.deadLetterTopic(), 1, false,
                Topics.DLQ_PROVISIONER.retention(), Topics.DLQ_PROVISIONER.key(), Topics.DLQ_PROVISIONER.description());
        send(DeadLetter.of(record, properties.groupId(), reason, cause, clock.instant())
                .toRecord(topic, RawRecords.bytesKeyed(record)));
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get(properties.kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            // The listener fails, its offset stays uncommitted and the record is processed again.
            throw new IllegalStateException("could not publish to " + record.topic(), e);
        }
    }

    @PreDestroy
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
