package io.k0rdent.ops.provisioner.drift;

import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.reconcile.FailureRetries;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries failed clusters again when their backoff has passed ({@link FailureRetries}): the latest definition is
 * re-driven and what that answers is published, including the next failure with its next retry time.
 */
@Singleton
@Requires(property = "k0rdent.provisioner.failure-retry.enabled", notEquals = "false")
public class RetryJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetryJob.class);

    private final FailureRetries retries;
    private final ClusterReconciler reconciler;
    private final EventPublisher publisher;
    private final ClusterOwnership ownership;

    public RetryJob(FailureRetries retries, ClusterReconciler reconciler, EventPublisher publisher,
                    ClusterOwnership ownership) {
        this.ownership = ownership;
        this.retries = retries;
        this.reconciler = reconciler;
        this.publisher = publisher;
    }

    @Scheduled(fixedDelay = "${k0rdent.provisioner.failure-retry.check-interval:5s}")
    public void run() {
        retries.due().forEach((cluster, attempt) -> {
            if (!ownership.owns(cluster)) {
                // Its partition moved to another replica, which consumes the cluster's records from there on.
                LOG.info("Cluster {}: not retrying here, another replica owns it now", cluster);
                retries.reset(cluster);
                return;
            }
            retries.started(cluster);
            LOG.info("Cluster {}: retrying after failure {} in a row", cluster, attempt);
            try {
                publisher.publish(reconciler.retry(cluster, attempt));
            } catch (RuntimeException e) {
                // Kafka or the control topic unavailable: the cluster stays failed; the next failure event, a Git
                // change or k0ops reconcile starts it again.
                LOG.warn("Cluster {}: retry {} could not run: {}", cluster, attempt, e.toString());
            }
        });
    }
}
