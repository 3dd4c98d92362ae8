package io.k0rdent.ops.sandbox.kafka;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka in a Docker container via Testcontainers' Kafka module ({@code apache/kafka} image, KRaft).
 *
 * <p>Testcontainers is an optional dependency: only touch this class after {@link KafkaBrokers} has checked that
 * it is on the classpath. Configured like the child-JVM broker where it matters to tests (no auto-created topics,
 * no rebalance delay).
 */
public final class TestcontainersKafkaBroker implements KafkaBroker {

    private final KafkaContainer container;

    private TestcontainersKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    /** @return whether Testcontainers finds a Docker engine that answers; false (not an exception) if none */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * Starts a container and waits until Testcontainers considers it ready.
     *
     * @param image e.g. {@code apache/kafka:3.9.1}
     * @return the running broker
     */
    public static TestcontainersKafkaBroker start(String image) {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(image))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new TestcontainersKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
