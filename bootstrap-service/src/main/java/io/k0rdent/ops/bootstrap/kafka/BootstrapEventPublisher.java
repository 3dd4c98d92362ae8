package io.k0rdent.ops.bootstrap.kafka;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.support.consumer.RawRecords;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one adapter that writes to Kafka: bootstrap events as CloudEvents on the bootstrap topic, and
 * dead letters. Every send waits for the broker's acknowledgement, because the listener commits the
 * input offset right after, and a lost output must never be hidden by a committed input.
 */
@Singleton
public final class BootstrapEventPublisher {

    /** The CloudEvents source of everything this service produces. */
    public static final URI SOURCE = URI.create("/k0rdent-ops/bootstrap");

    private final Producer<String, byte[]> producer;
    private final BootstrapProperties.TopicNames topics;
    private final ClusterEventCodec codec = new ClusterEventCodec(SOURCE);
    private final Clock clock;
    private final EventTelemetry telemetry;

    /** A publisher without telemetry (a registry of its own; the trace context is still handed on), for tests. */
    public BootstrapEventPublisher(Producer<String, byte[]> producer, BootstrapProperties properties, Clock clock) {
        this(producer, properties, clock,
                new EventTelemetry(OpenTelemetry.noop(), new SimpleMeterRegistry(), "bootstrap"));
    }

    @Inject
    public BootstrapEventPublisher(@KafkaClient("k0rdent-bootstrap") Producer<String, byte[]> producer,
                                   BootstrapProperties properties, Clock clock, EventTelemetry telemetry) {
        this.telemetry = telemetry;
        this.producer = producer;
        this.topics = properties.topics();
        this.clock = clock;
    }

    /** Publishes {@code event} keyed by its cluster and waits for the acknowledgement. */
    public void publish(BootstrapEvent event) {
        Headers headers = new RecordHeaders();
        byte[] value = codec.encode(topics.bootstrap(), headers, event);
        telemetry.produced(topics.bootstrap(), headers);
        send(new ProducerRecord<>(topics.bootstrap(), null, event.key(), value, headers));
    }

    /**
     * Sends {@code record} unchanged (key, value, headers) to the dead-letter topic with the reason in
     * {@code k0rdent.dlq.*} headers. The {@code ConsumerSkeleton} counts it.
     */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String consumerGroup, DeadLetterReason reason, Throwable cause) {
        ProducerRecord<byte[], byte[]> letter = DeadLetter.of(record, consumerGroup, reason, cause, clock.instant())
                .toRecord(Topics.DLQ_BOOTSTRAP, RawRecords.bytesKeyed(record));
        send(new ProducerRecord<>(topics.deadLetter(), null, record.key(), letter.value(), letter.headers()));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + record.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + record.topic(), e.getCause());
        }
    }
}
