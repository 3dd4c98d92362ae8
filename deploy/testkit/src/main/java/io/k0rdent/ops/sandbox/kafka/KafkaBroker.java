package io.k0rdent.ops.sandbox.kafka;

/**
 * A running, real Kafka broker (or cluster) that clients can reach at {@link #bootstrapServers()}.
 *
 * <p>Obtain one from {@link KafkaBrokers#start(KafkaBrokerOptions)}. Closing it stops whatever this
 * library started; a cluster that was merely pointed at ({@link ExternalKafkaBroker}) is left alone.
 */
public interface KafkaBroker extends AutoCloseable {

    /** @return the {@code bootstrap.servers} value for Kafka clients, e.g. {@code 127.0.0.1:40123} */
    String bootstrapServers();

    /** Stops the broker if this library started it. Idempotent; never throws a checked exception. */
    @Override
    void close();
}
