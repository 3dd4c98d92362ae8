package io.k0rdent.ops.gitwatcher.publish;

import io.k0rdent.ops.gitwatcher.GitwatcherProperties;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Health is DOWN while the Kafka cluster does not answer: without it no event and no watermark can be
 * written, so the service is not doing its job even if Git is reachable.
 */
@Singleton
public class KafkaBrokerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final GitwatcherProperties properties;
    private Admin admin;

    public KafkaBrokerHealthIndicator(GitwatcherProperties properties) {
        this.properties = properties;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        long timeoutMs = Math.min(5_000, properties.getKafkaTimeout().toMillis());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bootstrapServers", properties.getBootstrapServers());
        try {
            var cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs));
            int nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            details.put("clusterId", cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS));
            details.put("nodes", nodes);
            healthStatus = nodes > 0 ? HealthStatus.UP : HealthStatus.DOWN;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            healthStatus = HealthStatus.DOWN;
            details.put("error", e.getClass().getSimpleName());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "kafka";
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, properties.getTransactionalId() + "-health",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
