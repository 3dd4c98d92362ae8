package io.k0rdent.ops.faults;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NotificationEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.k0ops.inspect.TopicReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything on the topics at one moment, read from the outside (no consumer group, {@code read_committed}, as
 * {@code k0ops} reads): lifecycle records with their position, the notifier's audit events and the dead letters.
 */
final class TopicSnapshot {

    /** A lifecycle record; {@code event} is null when it does not decode (poison). */
    record Positioned(String topic, int partition, long offset, ClusterEvent event) {
    }

    /** A dead letter and the DLQ it is in. */
    record Letter(String dlqTopic, DeadLetter letter) {
    }

    private static final List<Topic> CONSUMED = List.of(Topics.DEFINITIONS, Topics.REJECTIONS, Topics.INFRASTRUCTURE,
            Topics.BOOTSTRAP);

    private final List<Positioned> lifecycle;
    private final List<NotificationEvent> notifications;
    private final List<Letter> deadLetters;

    private TopicSnapshot(List<Positioned> lifecycle, List<NotificationEvent> notifications, List<Letter> deadLetters) {
        this.lifecycle = List.copyOf(lifecycle);
        this.notifications = List.copyOf(notifications);
        this.deadLetters = List.copyOf(deadLetters);
    }

    static TopicSnapshot read(String bootstrapServers) {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/fault-suite"));
        List<Positioned> lifecycle = new ArrayList<>();
        List<NotificationEvent> notifications = new ArrayList<>();
        List<Letter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicReader reader = new TopicReader(consumer);
            reader.readAll(CONSUMED.stream().map(Topic::name).toList(), record -> {
                ClusterEvent event;
                try {
                    event = codec.decode(record);
                } catch (EventDecodingException e) {
                    event = null;
                }
                lifecycle.add(new Positioned(record.topic(), record.partition(), record.offset(), event));
            });
            reader.readAll(List.of(Topics.NOTIFICATIONS.name()), record -> {
                if (codec.decode(record) instanceof NotificationEvent notification) {
                    notifications.add(notification);
                }
            });
            reader.readAll(Topics.deadLetters().stream().map(Topic::name).toList(), record ->
                    DeadLetter.from(record.headers()).ifPresent(letter -> letters.add(new Letter(record.topic(), letter))));
        }
        return new TopicSnapshot(lifecycle, notifications, letters);
    }

    List<Positioned> lifecycle() {
        return lifecycle;
    }

    /** The decodable lifecycle events, every record (a republished event appears once per record). */
    Stream<ClusterEvent> events() {
        return lifecycle.stream().map(Positioned::event).filter(e -> e != null);
    }

    List<ClusterEvent> eventsOf(String cluster) {
        return events().filter(e -> e.header().clusterName().equals(cluster)).toList();
    }

    List<NotificationEvent> notifications() {
        return notifications;
    }

    List<Letter> deadLetters() {
        return deadLetters;
    }
}
