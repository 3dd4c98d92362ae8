package io.k0rdent.ops.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.notifier.kafka.KafkaDeliveryRecorder;
import io.k0rdent.ops.notifier.kafka.LedgerLoader;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The clients the notifier builds itself (consumer, ledger loader, delivery recorder) get the {@code kafka.*}
 * client settings, as micronaut-kafka's own clients do.
 */
class KafkaClientConfigsTest {

    @Test
    void configuredKafkaClientSettingsReachEveryClientTheNotifierBuilds() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "kafka.security.protocol", "PLAINTEXT",
                "kafka.client.dns.lookup", "use_all_dns_ips",
                "k0rdent.notifier.kafka.bootstrap-servers", "127.0.0.1:19092",
                "k0rdent.notifier.kafka.group-id", "notifier-under-test",
                // Only the configuration is under test: nothing starts consuming or monitoring.
                "k0rdent.notifier.runtime.enabled", false,
                "micronaut.health.monitor.enabled", false))) {
            KafkaClientConfigs clients = context.getBean(KafkaClientConfigs.class);

            Map<String, Object> consumer = clients.consumer();
            Map<String, Object> loader = LedgerLoader.consumerConfig(clients.ledgerLoader());
            Map<String, Object> recorder = KafkaDeliveryRecorder.producerConfig(clients.deliveryRecorder(), "tx-1");

            for (Map<String, Object> config : List.of(consumer, loader, recorder)) {
                assertThat(config)
                        .containsEntry("security.protocol", "PLAINTEXT")
                        .containsEntry("client.dns.lookup", "use_all_dns_ips")
                        // k0rdent.notifier.kafka.bootstrap-servers wins over kafka.bootstrap.servers.
                        .containsEntry("bootstrap.servers", "127.0.0.1:19092");
            }
            // Each client's own settings are kept on top.
            assertThat(consumer).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "notifier-under-test")
                    .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                    .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            assertThat(loader).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
                    .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            assertThat(recorder).containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1")
                    .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        }
    }
}
