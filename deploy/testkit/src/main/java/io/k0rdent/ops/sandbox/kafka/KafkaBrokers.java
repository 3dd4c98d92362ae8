package io.k0rdent.ops.sandbox.kafka;

import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions.Strategy;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides a real Kafka broker. With {@link Strategy#AUTO}, the first that applies:
 * <ol>
 *   <li>an existing cluster, if {@code KAFKA_BOOTSTRAP_SERVERS} or {@code -Dkafka.bootstrap.servers} is set;</li>
 *   <li>a Testcontainers broker, if Testcontainers' Kafka module is on the classpath and a Docker engine answers;</li>
 *   <li>Apache Kafka's own KRaft broker in a child JVM ({@link KafkaBrokerProcess}).</li>
 * </ol>
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBrokers.start(KafkaBrokerOptions.forTests())) {
 *     Map<String, Object> config = Map.of("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class KafkaBrokers {

    /** Environment variable naming an existing cluster to use instead of starting one. */
    public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    /** System property with the same meaning as {@link #BOOTSTRAP_SERVERS_ENV}; it wins if both are set. */
    public static final String BOOTSTRAP_SERVERS_PROPERTY = "kafka.bootstrap.servers";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokers.class);
    private static final String TESTCONTAINERS_KAFKA_CLASS = "org.testcontainers.kafka.KafkaContainer";

    private KafkaBrokers() {
    }

    /**
     * @param options which broker, and how to start one
     * @return a running broker; close it when done
     * @throws KafkaBrokerException if the chosen kind of broker is unavailable or does not start
     */
    public static KafkaBroker start(KafkaBrokerOptions options) {
        Optional<String> external = configuredBootstrapServers(System.getenv(), System.getProperties());
        switch (options.strategy()) {
            case EXTERNAL:
                return external(external.orElseThrow(() -> new KafkaBrokerException(
                        "Strategy EXTERNAL needs " + BOOTSTRAP_SERVERS_ENV + " or -D" + BOOTSTRAP_SERVERS_PROPERTY)),
                        options);
            case TESTCONTAINERS:
                if (!testcontainersPresent()) {
                    throw new KafkaBrokerException("Strategy TESTCONTAINERS needs org.testcontainers:kafka on the classpath");
                }
                return TestcontainersKafkaBroker.start(options.testcontainersImage());
            case EMBEDDED:
                return KafkaBrokerProcess.start(options);
            case AUTO:
            default:
                return startFirstAvailable(options, external);
        }
    }

    private static KafkaBroker startFirstAvailable(KafkaBrokerOptions options, Optional<String> external) {
        if (external.isPresent()) {
            return external(external.get(), options);
        }
        if (testcontainersPresent() && dockerAvailable()) {
            LOG.info("Starting Kafka with Testcontainers ({})", options.testcontainersImage());
            return TestcontainersKafkaBroker.start(options.testcontainersImage());
        }
        LOG.info("No external cluster and no Docker engine: starting Apache Kafka {} in a child JVM",
                KafkaBrokerOptions.KAFKA_VERSION);
        return KafkaBrokerProcess.start(options);
    }

    // Fail here, with the address in the message, rather than in the first test's first Kafka call.
    private static KafkaBroker external(String bootstrapServers, KafkaBrokerOptions options) {
        LOG.info("Using the existing Kafka cluster at {} ({})", bootstrapServers, BOOTSTRAP_SERVERS_ENV);
        String clusterId = BrokerReadiness.await(bootstrapServers, new CompletableFuture<>(), options.startupTimeout());
        LOG.info("Kafka cluster {} answers at {}", clusterId, bootstrapServers);
        return new ExternalKafkaBroker(bootstrapServers);
    }

    /**
     * @param env              environment variables
     * @param systemProperties system properties
     * @return the configured bootstrap servers of an existing cluster, if any (blank counts as unset)
     */
    static Optional<String> configuredBootstrapServers(Map<String, String> env, Properties systemProperties) {
        return Optional.ofNullable(systemProperties.getProperty(BOOTSTRAP_SERVERS_PROPERTY))
                .filter(value -> !value.isBlank())
                .or(() -> Optional.ofNullable(env.get(BOOTSTRAP_SERVERS_ENV)).filter(value -> !value.isBlank()))
                .map(String::strip);
    }

    // Testcontainers is optional: probe by name so that its absence costs nothing and breaks nothing.
    private static boolean testcontainersPresent() {
        try {
            Class.forName(TESTCONTAINERS_KAFKA_CLASS, false, KafkaBrokers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean dockerAvailable() {
        try {
            return TestcontainersKafkaBroker.dockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Testcontainers could not look for a Docker engine", e);
            return false;
        }
    }
}
