package io.k0rdent.ops.sandbox.kafka.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(1)
@KafkaIntegrationTest
class ProduceConsumeIT {

    @BeforeAll
    static void noteTheBroker(KafkaTestContext kafka) throws Exception {
        BrokerProbe.record(kafka, ProduceConsumeIT.class);
    }

    @Test
    void consumesWhatWasProduced(KafkaTestContext kafka) throws Exception {
        String topic = kafka.createTopic("orders", 3);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "order-" + i, ("payload " + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("orders")))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= 10;
            });
        }

        assertThat(received).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("order-0", "order-1", "order-2", "order-3", "order-4",
                        "order-5", "order-6", "order-7", "order-8", "order-9");
        assertThat(received).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .contains("payload 0", "payload 9");
        assertThat(received).extracting(ConsumerRecord::partition).containsAnyOf(0, 1, 2);
    }

    @Test
    void createsCompactedAndPlainTopicsTogether(KafkaTestContext kafka) throws Exception {
        List<String> names = kafka.createTopics(TopicSpec.compacted("cluster-state", 2), TopicSpec.of("commands", 1));
        String compacted = names.get(0);
        String plain = names.get(1);

        Map<String, TopicDescription> descriptions = kafka.admin().describeTopics(names).allTopicNames().get();
        assertThat(descriptions.get(compacted).partitions()).hasSize(2);
        assertThat(descriptions.get(plain).partitions()).hasSize(1);

        ConfigResource compactedResource = new ConfigResource(ConfigResource.Type.TOPIC, compacted);
        ConfigResource plainResource = new ConfigResource(ConfigResource.Type.TOPIC, plain);
        Map<ConfigResource, Config> configs =
                kafka.admin().describeConfigs(List.of(compactedResource, plainResource)).all().get();
        assertThat(configs.get(compactedResource).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(configs.get(plainResource).get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(kafka.createdTopics()).containsExactly(compacted, plain);
    }

    @Test
    void everyTopicIsFresh(KafkaTestContext kafka) throws Exception {
        String first = kafka.createTopic("events", 1);
        String second = kafka.createTopic("events", 1);

        assertThat(first).startsWith("events-").isNotEqualTo(second);
        assertThat(kafka.admin().listTopics().names().get()).contains(first, second);
    }
}
