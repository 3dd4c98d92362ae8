package io.k0rdent.ops.sandbox.kafka.junit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Lets IT classes leave a note of the broker they saw on the broker itself, so a later class can show that
 * all of them used the same one. Notes are keyed by this JVM, so a long-lived external cluster works too.
 */
final class BrokerProbe {

    static final String TOPIC = "k0ops-it-broker-probe";
    private static final String THIS_JVM = ProcessHandle.current().pid() + "@"
            + ProcessHandle.current().info().startInstant().map(Object::toString).orElse("?");

    /** What one IT class saw. */
    record Sighting(String testClass, String bootstrapServers, String clusterId) {
    }

    private BrokerProbe() {
    }

    static void record(KafkaTestContext kafka, Class<?> testClass) throws Exception {
        ensureTopic(kafka);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            String value = String.join("|", THIS_JVM, kafka.bootstrapServers(), kafka.clusterId());
            producer.send(new ProducerRecord<>(TOPIC, testClass.getName(), value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** @return this JVM's sightings by test class name */
    static Map<String, Sighting> sightings(KafkaTestContext kafka) throws Exception {
        ensureTopic(kafka);
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        Map<String, Sighting> sightings = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("probe")))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    String[] parts = new String(record.value(), StandardCharsets.UTF_8).split("\\|");
                    if (parts[0].equals(THIS_JVM)) {
                        sightings.put(record.key(), new Sighting(record.key(), parts[1], parts[2]));
                    }
                }
            }
        }
        return sightings;
    }

    // Not through createTopic: the probe must keep its fixed name and outlive the test that created it.
    private static void ensureTopic(KafkaTestContext kafka) throws InterruptedException, ExecutionException {
        try {
            kafka.admin().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
