package io.k0rdent.ops.provisioner.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The hand-built producer gets the {@code kafka.*} client settings, as micronaut-kafka's own clients do. */
class EventPublisherConfigTest {

    @Test
    void configuredKafkaClientSettingsReachTheProducer() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "kafka.security.protocol", "PLAINTEXT",
                "kafka.client.dns.lookup", "use_all_dns_ips",
                "k0rdent.provisioner.bootstrap-servers", "127.0.0.1:19092",
                "k0rdent.provisioner.group-id", "provisioner-under-test",
                "k0rdent.provisioner.listeners.enabled", false,
                "k0rdent.provisioner.drift-enabled", false,
                "k0rdent.provisioner.admin-cidr", "192.0.2.0/24"))) {
            Map<String, Object> config = EventPublisher.producerConfig(context.getBean(KafkaDefaultConfiguration.class),
                    context.getBean(ProvisionerProperties.class));

            assertThat(config)
                    .containsEntry("security.protocol", "PLAINTEXT")
                    .containsEntry("client.dns.lookup", "use_all_dns_ips")
                    // The producer's own settings win over anything configured.
                    .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092")
                    .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                    .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "provisioner-under-test-producer");
            // The real producer accepts the combined configuration.
            assertThat(context.getBean(EventPublisher.class)).isNotNull();
        }
    }
}
