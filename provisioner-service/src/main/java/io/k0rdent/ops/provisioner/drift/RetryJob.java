package io.k0rdent.ops.provisioner.drift;

import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.reconcile.ClusterLocks;
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
    private final ClusterLocks locks;

    public RetryJob(FailureRetries retries, ClusterReconciler reconciler, EventPublisher publisher,
                    ClusterOwnership ownership, ClusterLocks locks) {
        this.ownership = ownership;
        this.locks = locks;
        this.retries = retries;
        this.reconciler = reconciler;
        this.publisher = publisher;
    }

    @Scheduled(fixedDelay = "${k0rdent.provisioner.failure-retry.check-interval:5s}")
    public void run() {
        retries.due().forEach((cluster, attempt) -> locks.withLock(cluster, () -> {
            // Under the cluster's lock, as a revocation waits for it: once this replica has given the partition up,
            // no retry starts here, and one under way publishes before the partition moves (PartitionHandOver).
            if (!ownership.owns(cluster)) {
                // Restored by a catch-up a moment before its partition is marked assigned (or given up, and then
                // PartitionHandOver drops it): left for the next run.
                LOG.debug("Cluster {}: not retrying now, its partition is not this replica's", cluster);
                return null;
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
            return null;
        }));
    }
}
