package io.k0rdent.ops.sandbox.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Waits until a broker answers {@code describeCluster}. The Admin client itself keeps retrying refused
 * connections until its timeout, so this is one call raced against the broker process' exit, not a poll loop.
 */
final class BrokerReadiness {

    private BrokerReadiness() {
    }

    /**
     * @param bootstrapServers where the broker will listen
     * @param brokerExit       completes if the broker process dies, to fail fast instead of waiting out the timeout
     * @param timeout          the deadline
     * @return the cluster id
     * @throws KafkaBrokerException if the broker is not ready in time or exits first; the message says which
     */
    static String await(String bootstrapServers, CompletableFuture<?> brokerExit, Duration timeout) {
        int timeoutMs = (int) timeout.toMillis();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "k0ops-broker-readiness",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000),
                // Reconnect quickly while the broker is still starting.
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        Admin admin = Admin.create(config);
        try {
            CompletableFuture<String> clusterId = admin
                    .describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .clusterId().toCompletionStage().toCompletableFuture();
            CompletableFuture.anyOf(clusterId, brokerExit).get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
            if (clusterId.isDone() && !clusterId.isCompletedExceptionally()) {
                return clusterId.join();
            }
            throw new KafkaBrokerException("The Kafka broker process exited before it was ready (" + brokerExit.join() + ")");
        } catch (TimeoutException e) {
            throw new KafkaBrokerException("The Kafka broker at " + bootstrapServers + " was not ready within " + timeout, e);
        } catch (ExecutionException e) {
            // describeCluster gave up (its own timeout) or the exit future failed.
            throw new KafkaBrokerException("The Kafka broker at " + bootstrapServers + " was not ready within " + timeout
                    + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaBrokerException("Interrupted while waiting for the Kafka broker at " + bootstrapServers, e);
        } finally {
            // Zero: fail the still pending describeCluster instead of waiting for it (up to the whole timeout)
            // when the broker died.
            admin.close(Duration.ZERO);
        }
    }
}
