package io.k0rdent.ops.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.contracts.event.SampleEvents;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Every event type through the real serializers, a real broker and back: equal values, keys and
 * CloudEvents headers. Topics are fresh per run, named after the real ones.
 */
@KafkaIntegrationTest
class EventRoundTripIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void everyEventTypeSurvivesTheBrokerWithItsHeaders(KafkaTestContext kafka) throws Exception {
        Map<Topic, String> topicNames = new HashMap<>();
        for (Topic topic : Arrays.stream(EventType.values()).map(EventType::topic).distinct().toList()) {
            topicNames.put(topic, kafka.createTopic(topic.name(), 3, topic.configs()));
        }
        Map<String, Object> producerProps = kafka.producerProps();
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ClusterEventSerializer.class);
        producerProps.put(ClusterEventSerializer.SOURCE_CONFIG, "/k0rdent-ops/contracts-it");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

        List<ClusterEvent> sent = Arrays.stream(EventType.values()).map(SampleEvents::of).toList();
        try (KafkaProducer<String, ClusterEvent> producer = new KafkaProducer<>(producerProps)) {
            for (ClusterEvent event : sent) {
                producer.send(new ProducerRecord<>(topicNames.get(event.type().topic()), event.key(), event)).get();
            }
        }

        Map<String, Object> consumerProps = kafka.consumerProps(kafka.uniqueName("round-trip"));
        List<ConsumerRecord<String, ClusterEvent>> received = new ArrayList<>();
        try (KafkaConsumer<String, ClusterEvent> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ClusterEventDeserializer())) {
            consumer.subscribe(topicNames.values());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
        for (ConsumerRecord<String, ClusterEvent> record : received) {
            ClusterEvent event = record.value();
            assertThat(record.topic()).isEqualTo(topicNames.get(event.type().topic()));
            assertThat(record.key()).isEqualTo("dev-cluster-01");
            assertThat(headers(record)).containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_id", event.header().eventId().toString())
                    .containsEntry("ce_type", event.type().ceType())
                    .containsEntry("ce_source", "/k0rdent-ops/contracts-it")
                    .containsEntry("ce_subject", "dev-cluster-01")
                    .containsEntry("ce_time", "2026-11-25T09:30:00Z")
                    .containsEntry("content-type", "application/json");
        }
        // One cluster's events on one topic stay in the order they were produced.
        List<ClusterEvent> infrastructureInOrder = received.stream()
                .filter(r -> r.topic().equals(topicNames.get(Topics.INFRASTRUCTURE)))
                .map(ConsumerRecord::value).toList();
        assertThat(infrastructureInOrder).containsExactlyElementsOf(
                sent.stream().filter(e -> e.type().topic() == Topics.INFRASTRUCTURE).toList());
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsReasonAndTheNextRecordStillDecodes(KafkaTestContext kafka)
            throws Exception {
        String source = kafka.createTopic(Topics.BOOTSTRAP.name(), 1);
        String deadLetters = kafka.createTopic(Topics.DLQ_BOOTSTRAP.name(), 1);
        ClusterEventCodec codec = new ClusterEventCodec(java.net.URI.create("/k0rdent-ops/contracts-it"));
        ClusterEvent good = SampleEvents.of(EventType.CLUSTER_READY);

        Map<String, Object> producerProps = kafka.producerProps();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            producer.send(new ProducerRecord<>(source, "dev-1".getBytes(StandardCharsets.UTF_8),
                    new byte[] {0x00, (byte) 0xff, 0x13})).get();
            ProducerRecord<String, byte[]> goodRecord = codec.toRecord(good);
            producer.send(new ProducerRecord<>(source, null, goodRecord.key().getBytes(StandardCharsets.UTF_8),
                    goodRecord.value(), goodRecord.headers())).get();
        }

        List<ClusterEvent> decoded = new ArrayList<>();
        Map<String, Object> consumerProps = kafka.consumerProps(kafka.uniqueName("poison"));
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
             KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(withByteKeys(kafka.producerProps()))) {
            consumer.subscribe(List.of(source));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int seen = 0;
            while (seen < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                    try {
                        decoded.add(codec.decode(record));
                    } catch (EventDecodingException e) {
                        Topic dlqTopic = new Topic(deadLetters, 1, false, Duration.ofDays(1), "key", "test");
                        dlq.send(DeadLetter.of(record, "bootstrap", DeadLetterReason.UNDECODABLE, e, Instant.now())
                                .toRecord(dlqTopic, record)).get();
                    }
                }
            }
        }

        assertThat(decoded).containsExactly(good);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(withByteKeyConsumer(
                kafka.consumerProps(kafka.uniqueName("dlq-reader"))))) {
            consumer.subscribe(List.of(deadLetters));
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (letters.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
            }
            assertThat(letters).hasSize(1);
            DeadLetter letter = DeadLetter.from(letters.get(0).headers()).orElseThrow();
            assertThat(letter.originalTopic()).isEqualTo(source);
            assertThat(letter.originalOffset()).isZero();
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(letter.message()).startsWith("NOT_A_CLOUD_EVENT");
            assertThat(letters.get(0).value()).containsExactly(0x00, (byte) 0xff, 0x13);
            assertThat(catchThrowableOfType(EventDecodingException.class, () -> codec.decode(letters.get(0))))
                    .isNotNull();
        }
    }

    private static Map<String, Object> withByteKeys(Map<String, Object> props) {
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    private static Map<String, Object> withByteKeyConsumer(Map<String, Object> props) {
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        return props;
    }

    private static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        return Arrays.stream(record.headers().toArray())
                .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8),
                        (a, b) -> b));
    }
}
