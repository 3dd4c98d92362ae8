package io.k0rdent.ops.sandbox.kafka.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The gitwatcher publishes with Kafka transactions; the broker must support them with a single node. */
@Order(2)
@KafkaIntegrationTest
class TransactionsIT {

    @BeforeAll
    static void noteTheBroker(KafkaTestContext kafka) throws Exception {
        BrokerProbe.record(kafka, TransactionsIT.class);
    }

    @Test
    void readCommittedConsumersSeeOnlyCommittedTransactions(KafkaTestContext kafka) {
        String topic = kafka.createTopic("cluster-events", 2);
        Map<String, Object> producerProps = kafka.producerProps();
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueName("gitwatcher"));

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps)) {
            producer.initTransactions();

            producer.beginTransaction();
            send(producer, topic, "committed-1");
            send(producer, topic, "committed-2");
            producer.commitTransaction();

            producer.beginTransaction();
            send(producer, topic, "aborted-1");
            send(producer, topic, "aborted-2");
            producer.flush(); // the aborted records really reach the log
            producer.abortTransaction();

            producer.beginTransaction();
            send(producer, topic, "committed-3");
            producer.commitTransaction();
        }

        assertThat(readAll(kafka, topic, "read_committed", 3))
                .containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
        assertThat(readAll(kafka, topic, "read_uncommitted", 5))
                .as("the aborted records are in the log, only hidden from read_committed")
                .contains("aborted-1", "aborted-2");
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String value) {
        producer.send(new ProducerRecord<>(topic, value, value.getBytes(StandardCharsets.UTF_8)));
    }

    // Reads until `expected` records arrived and the consumer reached the end of every partition, so a
    // record that should stay hidden would have shown up.
    private static List<String> readAll(KafkaTestContext kafka, String topic, String isolation, int expected) {
        Map<String, Object> props = kafka.consumerProps(kafka.uniqueName(isolation));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                return values.size() >= expected && atEnd(consumer);
            });
        }
        return values;
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> consumer) {
        var assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return false;
        }
        // For read_committed, endOffsets is the last stable offset.
        return consumer.endOffsets(assignment).entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }
}
