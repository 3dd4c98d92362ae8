package io.k0rdent.ops.bootstrap.config;

import io.k0rdent.ops.support.AttemptBudget;
import io.k0rdent.ops.bootstrap.kafka.BootstrapEventPublisher;
import io.k0rdent.ops.bootstrap.kafka.InfrastructureEventHandler;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.bootstrap.phase.BootstrapRetries;
import io.k0rdent.ops.bootstrap.phase.CheckpointStore;
import io.k0rdent.ops.bootstrap.phase.ClusterBootstrapper;
import io.k0rdent.ops.bootstrap.ssh.ShellConnector;
import io.k0rdent.ops.support.retry.RetryBackoff;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.k0rdent.ops.support.control.ClusterControl;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Wires the plain domain classes, which know nothing of Micronaut. */
@Factory
public class BootstrapFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "close")
    ClusterBootstrapper clusterBootstrapper(ShellConnector connector, WorkloadClusterProbe probe,
                                            ManagementCluster management, CheckpointStore checkpoints,
                                            BootstrapProperties properties, Clock clock, EventTelemetry telemetry) {
        return new ClusterBootstrapper(connector, probe, management, checkpoints, properties, clock, telemetry);
    }

    /** Automatic retries of retryable failures; none when {@code failure-retry.enabled} is false. */
    @Singleton
    BootstrapRetries bootstrapRetries(BootstrapRetrySettings settings, Clock clock) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        return new BootstrapRetries(new RetryBackoff(settings.initialDelay(), settings.maxDelay(),
                settings.enabled() ? settings.maxAttempts() : 0, random::nextDouble), clock);
    }

    @Singleton
    InfrastructureEventHandler infrastructureEventHandler(ClusterBootstrapper bootstrapper, BootstrapEventPublisher publisher,
                                                          BootstrapProperties properties, EventTelemetry telemetry,
                                                          ClusterControl control, BootstrapRetries retries,
                                                          @Value("${k0rdent.bootstrap.group-id:k0rdent-bootstrap}") String group) {
        return new InfrastructureEventHandler(bootstrapper, publisher, group,
                new AttemptBudget(properties.maxRecordAttempts()), telemetry, control::isSuspended, retries);
    }

    /** What people asked outside Git (suspensions), read whole at start and followed from then on. */
    @Singleton
    @Bean(preDestroy = "close")
    ClusterControl clusterControl(BootstrapProperties properties, KafkaDefaultConfiguration kafka,
                                  @Value("${k0rdent.bootstrap.group-id:k0rdent-bootstrap}") String group,
                                  @Value("${k0rdent.bootstrap.kafka-timeout:30s}") Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        ClusterControl control = new ClusterControl(config, group + "-control", properties.topics().control(), timeout);
        // Started here, not at StartupEvent: the listener may poll before that event, and it must find the read
        // under way (isSuspended waits for it).
        control.loadInBackground();
        return control;
    }
}
