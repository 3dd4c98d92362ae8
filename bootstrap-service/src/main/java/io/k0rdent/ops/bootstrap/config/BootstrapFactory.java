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
import io.k0rdent.ops.support.fault.CrashPoints;
import io.k0rdent.ops.support.retry.FailureRetrySettings;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.k0rdent.ops.support.control.ClusterControl;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.k0rdent.ops.bootstrap.kafka.RetryRecovery;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Wires the plain domain classes, which know nothing of Micronaut. */
@Factory
public class BootstrapFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The adapter to workload clusters' APIs; its drains and probes are timed by the same clock. */
    @Singleton
    WorkloadClusterProbe workloadClusterProbe(Clock clock) {
        return new WorkloadClusterProbe(clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    ClusterBootstrapper clusterBootstrapper(ShellConnector connector, WorkloadClusterProbe probe,
                                            ManagementCluster management, CheckpointStore checkpoints,
                                            BootstrapProperties properties, Clock clock, EventTelemetry telemetry) {
        return new ClusterBootstrapper(connector, probe, management, checkpoints, properties, clock, telemetry);
    }

    /** {@code k0rdent.bootstrap.failure-retry.*}: the provisioner's shape, keys and defaults. */
    @Singleton
    FailureRetrySettings failureRetrySettings(Environment environment) {
        return FailureRetrySettings.bind(environment, "k0rdent.bootstrap");
    }

    /** Automatic retries of retryable failures; none when {@code failure-retry.enabled} is false. */
    @Singleton
    BootstrapRetries bootstrapRetries(FailureRetrySettings settings, Clock clock) {
        SecureRandom random = new SecureRandom();
        return new BootstrapRetries(settings.backoff(random::nextDouble), clock);
    }

    @Singleton
    InfrastructureEventHandler infrastructureEventHandler(ClusterBootstrapper bootstrapper, BootstrapEventPublisher publisher,
                                                          BootstrapProperties properties, EventTelemetry telemetry,
                                                          ClusterControl control, BootstrapRetries retries,
                                                          CrashPoints crashPoints) {
        return new InfrastructureEventHandler(bootstrapper, publisher, properties.groupId(),
                new AttemptBudget(properties.maxRecordAttempts()), telemetry, control::isSuspended, retries,
                crashPoints);
    }

    /** Reads the retries a replica takes over with its partitions from the topics. */
    @Singleton
    RetryRecovery retryRecovery(BootstrapProperties properties, KafkaDefaultConfiguration kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        return new RetryRecovery(config, properties);
    }

    /** What people asked outside Git (suspensions), read whole at start and followed from then on. */
    @Singleton
    @Bean(preDestroy = "close")
    ClusterControl clusterControl(BootstrapProperties properties, KafkaDefaultConfiguration kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        ClusterControl control = new ClusterControl(config, properties.groupId() + "-control", properties.topics().control(),
                properties.kafkaTimeout());
        // Started here, not at StartupEvent: the listener may poll before that event, and it must find the read
        // under way (isSuspended waits for it).
        control.loadInBackground();
        return control;
    }
}
