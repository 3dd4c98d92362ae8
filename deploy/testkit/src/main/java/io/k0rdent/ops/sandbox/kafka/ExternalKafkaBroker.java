package io.k0rdent.ops.sandbox.kafka;

import java.util.Objects;

/**
 * An existing Kafka cluster named by configuration ({@code KAFKA_BOOTSTRAP_SERVERS}); this library neither
 * starts nor stops it.
 *
 * @param bootstrapServers the cluster's {@code bootstrap.servers}
 */
public record ExternalKafkaBroker(String bootstrapServers) implements KafkaBroker {

    /** @param bootstrapServers the cluster's {@code bootstrap.servers} */
    public ExternalKafkaBroker {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    }

    /** Does nothing: the cluster is not ours to stop. */
    @Override
    public void close() {
    }
}
