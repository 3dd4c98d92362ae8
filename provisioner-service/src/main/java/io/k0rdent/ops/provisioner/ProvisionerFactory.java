package io.k0rdent.ops.provisioner;

import io.k0rdent.ops.provisioner.aws.Ec2Gateways;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.hostkey.HostKeySettings;
import io.k0rdent.ops.provisioner.reconcile.ApiEndpointReconciler;
import io.k0rdent.ops.provisioner.reconcile.ClusterDestroyer;
import io.k0rdent.ops.provisioner.reconcile.ClusterLocks;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.reconcile.EgressReconciler;
import io.k0rdent.ops.provisioner.reconcile.FailureRetries;
import io.k0rdent.ops.provisioner.reconcile.InstanceReconciler;
import io.k0rdent.ops.provisioner.reconcile.KnownClusters;
import io.k0rdent.ops.provisioner.reconcile.NetworkReconciler;
import io.k0rdent.ops.provisioner.reconcile.PartitionHandOver;
import io.k0rdent.ops.provisioner.reconcile.ReconcileHooks;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.support.consumer.ConsumerSkeleton;
import io.k0rdent.ops.support.consumer.OnFailure;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.control.ClusterControl;
import io.k0rdent.ops.support.retry.FailureRetrySettings;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The provisioner's object graph in one place: the clock event times are read from (tests may replace it), the
 * automatic-retry settings, the view of {@code k0rdent.cluster.control}, the one {@link ConsumerSkeleton} of its
 * listeners, and the domain classes (reconcilers, drift, the in-memory registries), which are plain Java and carry no
 * Micronaut annotation. Adapters with nothing to choose ({@code Ec2Clients}, {@code Ec2Gateways}, the publisher),
 * the fault-suite hooks (chosen by configuration) and what Micronaut drives (listeners, scheduled jobs, the
 * start-up read) stay annotated where they are.
 */
@Factory
public class ProvisionerFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** {@code k0rdent.provisioner.failure-retry.*}: the bootstrap service's shape, keys and defaults. */
    @Singleton
    FailureRetrySettings failureRetrySettings(Environment environment) {
        return FailureRetrySettings.bind(environment, "k0rdent.provisioner");
    }

    /** What people asked outside Git (suspensions), read whole at start and followed from then on. */
    @Singleton
    @Bean(preDestroy = "close")
    ClusterControl clusterControl(ProvisionerProperties properties, KafkaDefaultConfiguration kafka) {
        Map<String, Object> config = new HashMap<>();
        kafka.getConfig().forEach((key, value) -> config.put(key.toString(), value));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        ClusterControl control = new ClusterControl(config, properties.groupId() + "-control",
                properties.controlTopic(), properties.kafkaTimeout());
        // Reading starts now, without holding start-up: whoever asks whether a cluster is suspended waits for it.
        control.loadInBackground();
        return control;
    }

    /**
     * The listeners' record guard (definitions and bootstrap, control): a failing record is delivered again until its
     * attempt budget is spent ({@code max-record-attempts}); the listeners' error strategy retry count is set far
     * above it because, once that is spent, micronaut-kafka only logs and commits the offset.
     */
    @Singleton
    ConsumerSkeleton consumerSkeleton(EventPublisher publisher, ProvisionerProperties properties,
                                      EventTelemetry telemetry, CrashPoints crashPoints) {
        return new ConsumerSkeleton(publisher.codec()::decode, publisher::deadLetter,
                OnFailure.retryWithin(properties.maxRecordAttempts()), telemetry, crashPoints);
    }

    @Singleton
    KnownClusters knownClusters() {
        return new KnownClusters();
    }

    @Singleton
    ClusterOwnership clusterOwnership() {
        return new ClusterOwnership();
    }

    @Singleton
    ClusterLocks clusterLocks() {
        return new ClusterLocks();
    }

    @Singleton
    PartitionHandOver partitionHandOver(ClusterOwnership ownership, ClusterLocks locks, KnownClusters known,
                                        FailureRetries retries) {
        return new PartitionHandOver(ownership, locks, known, retries);
    }

    @Singleton
    FailureRetries failureRetries(FailureRetrySettings settings, Clock clock) {
        return new FailureRetries(settings, clock);
    }

    @Singleton
    EgressReconciler egressReconciler() {
        return new EgressReconciler();
    }

    @Singleton
    NetworkReconciler networkReconciler(ProvisionerProperties properties, EgressReconciler egress) {
        return new NetworkReconciler(properties, egress);
    }

    @Singleton
    ApiEndpointReconciler apiEndpointReconciler(ProvisionerProperties properties) {
        return new ApiEndpointReconciler(properties);
    }

    @Singleton
    InstanceReconciler instanceReconciler(ReconcileHooks hooks, InstanceSettings settings,
                                          HostKeySettings hostKeySettings, Clock clock) {
        return new InstanceReconciler(hooks, settings, hostKeySettings, clock);
    }

    @Singleton
    ClusterDestroyer clusterDestroyer(ApiEndpointReconciler endpoint) {
        return new ClusterDestroyer(endpoint);
    }

    @Singleton
    ClusterReconciler clusterReconciler(Ec2Gateways gateways, NetworkReconciler network, InstanceReconciler instances,
                                        ApiEndpointReconciler endpoint, ClusterDestroyer destroyer, ClusterLocks locks,
                                        KnownClusters known, ProvisionerProperties properties, ReconcileHooks hooks,
                                        ClusterControl control, FailureRetries retries, Clock clock) {
        return new ClusterReconciler(gateways, network, instances, endpoint, destroyer, locks, known, properties, hooks,
                control, retries, clock);
    }

    @Singleton
    DriftReconciler driftReconciler(Ec2Gateways gateways, KnownClusters known, ClusterReconciler reconciler,
                                    ClusterDestroyer destroyer, ClusterLocks locks, ProvisionerProperties properties,
                                    ClusterControl control, ApiEndpointReconciler endpoint, NetworkReconciler network,
                                    Clock clock, ClusterOwnership ownership) {
        return new DriftReconciler(gateways, known, reconciler, destroyer, locks, properties, control, endpoint,
                network, clock, ownership);
    }
}
