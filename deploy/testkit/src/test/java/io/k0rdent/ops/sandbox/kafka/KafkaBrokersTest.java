package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBrokersTest {

    @Test
    void anExistingClusterIsNamedByEnvironmentOrSystemProperty() {
        Properties none = new Properties();
        Properties property = new Properties();
        property.setProperty(KafkaBrokers.BOOTSTRAP_SERVERS_PROPERTY, "kafka-a:9092");
        Map<String, String> env = Map.of(KafkaBrokers.BOOTSTRAP_SERVERS_ENV, " kafka-b:9092 ");

        assertThat(KafkaBrokers.configuredBootstrapServers(Map.of(), none)).isEmpty();
        assertThat(KafkaBrokers.configuredBootstrapServers(env, none)).contains("kafka-b:9092");
        assertThat(KafkaBrokers.configuredBootstrapServers(env, property)).contains("kafka-a:9092");
    }

    @Test
    void blankCountsAsUnset() {
        Properties blank = new Properties();
        blank.setProperty(KafkaBrokers.BOOTSTRAP_SERVERS_PROPERTY, " ");

        assertThat(KafkaBrokers.configuredBootstrapServers(Map.of(KafkaBrokers.BOOTSTRAP_SERVERS_ENV, ""), blank))
                .isEmpty();
    }

    @Test
    void anExternalClusterIsNeverStopped() {
        try (KafkaBroker broker = new ExternalKafkaBroker("kafka:9092")) {
            assertThat(broker.bootstrapServers()).isEqualTo("kafka:9092");
        }
    }
}
