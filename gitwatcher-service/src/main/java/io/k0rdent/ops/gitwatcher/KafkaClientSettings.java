package io.k0rdent.ops.gitwatcher;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The starting point of every Kafka client this service builds by hand (the transactional producer, the
 * state reader, the health Admin): all {@code kafka.*} settings, e.g. {@code kafka.security.protocol},
 * {@code kafka.sasl.*}, {@code kafka.ssl.*} (env {@code KAFKA_SECURITY_PROTOCOL}...). Without them a
 * client would connect in plaintext to a broker that requires TLS or SASL. Each client then sets its own
 * settings on top, so those cannot be overridden by accident.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    /**
     * A mutable copy of the configured {@code kafka.*} settings (micronaut-kafka has already dropped its
     * per-consumer, per-producer and embedded sections and turned every value into a String).
     */
    public static Map<String, Object> base(KafkaDefaultConfiguration kafka) {
        Properties properties = kafka.getConfig();
        Map<String, Object> config = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            // kafka.health.* configures micronaut-kafka's health indicator, not a client; a client would only
            // log it as an unknown setting each time it is created.
            if (!name.startsWith("health")) {
                config.put(name, properties.getProperty(name));
            }
        }
        return config;
    }
}
