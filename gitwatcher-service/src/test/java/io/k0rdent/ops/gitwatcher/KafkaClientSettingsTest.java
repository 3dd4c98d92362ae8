package io.k0rdent.ops.gitwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.gitwatcher.publish.KafkaBrokerHealthIndicator;
import io.k0rdent.ops.gitwatcher.publish.TransactionalEventPublisher;
import io.k0rdent.ops.gitwatcher.state.StateTopicReader;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The {@code kafka.*} settings (as set by {@code KAFKA_SECURITY_PROTOCOL} etc.) reach every client the service
 * builds by hand, and cannot undo the settings the service's guarantees rest on. No broker is needed: with no
 * repository configured, nothing connects.
 */
class KafkaClientSettingsTest {

    @Test
    void configuredKafkaSettingsReachEveryHandBuiltClient() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "kafka.security.protocol", "PLAINTEXT",
                "kafka.client.dns.lookup", "use_all_dns_ips",
                // Settings the service must keep whatever the configuration says.
                "kafka.enable.idempotence", "false",
                "kafka.isolation.level", "read_uncommitted",
                "k0rdent.gitwatcher.transactional-id", "gw-test"))) {
            List<Map<String, Object>> configs = List.of(
                    context.getBean(TransactionalEventPublisher.class).producerConfig(),
                    context.getBean(StateTopicReader.class).consumerConfig(),
                    context.getBean(KafkaBrokerHealthIndicator.class).adminConfig());

            for (Map<String, Object> config : configs) {
                assertThat(config)
                        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                        .containsEntry(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, "use_all_dns_ips")
                        .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9")
                        // application.yml's kafka.health.enabled is micronaut-kafka's, not the client's.
                        .doesNotContainKey("health.enabled");
                // Kafka itself accepts the result (it rejects unknown enum values such as a misspelt protocol).
                AdminClientConfig parsed = new AdminClientConfig(config);
                assertThat(parsed.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)).isEqualTo("PLAINTEXT");
                assertThat(parsed.getString(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)).isEqualTo("use_all_dns_ips");
            }
            assertThat(configs.get(0))
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                    .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "gw-test")
                    .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
            assertThat(configs.get(1)).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
    }
}
