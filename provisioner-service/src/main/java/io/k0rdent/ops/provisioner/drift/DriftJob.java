package io.k0rdent.ops.provisioner.drift;

import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Runs the {@link DriftReconciler} every {@code k0rdent.provisioner.drift-interval} and publishes what it finds, cluster
 * by cluster.
 */
@Singleton
@Requires(property = "k0rdent.provisioner.drift-enabled", notEquals = "false")
public class DriftJob {

    private final DriftReconciler drift;
    private final EventPublisher publisher;

    public DriftJob(DriftReconciler drift, EventPublisher publisher) {
        this.drift = drift;
        this.publisher = publisher;
    }

    @Scheduled(fixedDelay = "${k0rdent.provisioner.drift-interval:5m}",
            initialDelay = "${k0rdent.provisioner.drift-interval:5m}")
    public void run() {
        drift.reconcileAll(publisher::publish);
    }
}
