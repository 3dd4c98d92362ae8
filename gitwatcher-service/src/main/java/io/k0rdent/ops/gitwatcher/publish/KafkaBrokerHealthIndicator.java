package io.k0rdent.ops.gitwatcher.publish;

import io.k0rdent.ops.gitwatcher.GitwatcherProperties;
import io.k0rdent.ops.gitwatcher.KafkaClientSettings;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
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
    private final KafkaDefaultConfiguration kafka;
    private Admin admin;

    public KafkaBrokerHealthIndicator(GitwatcherProperties properties, KafkaDefaultConfiguration kafka) {
        this.properties = properties;
        this.kafka = kafka;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        long timeoutMs = Math.min(5_000, properties.kafkaTimeout().toMillis());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bootstrapServers", properties.bootstrapServers());
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
            admin = Admin.create(adminConfig());
        }
        return admin;
    }

    /** Every {@code kafka.*} setting (security, SASL, TLS...), then short timeouts: a health check must answer fast. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = KafkaClientSettings.base(kafka);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, properties.transactionalId() + "-health");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
