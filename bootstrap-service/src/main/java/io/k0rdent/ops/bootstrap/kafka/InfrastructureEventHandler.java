package io.k0rdent.ops.bootstrap.kafka;

import io.k0rdent.ops.support.AttemptBudget;
import io.k0rdent.ops.bootstrap.phase.ClusterBootstrapper;
import io.k0rdent.ops.bootstrap.phase.BootstrapRetries;
import io.k0rdent.ops.bootstrap.phase.PendingRetries;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.support.consumer.ConsumerSkeleton;
import io.k0rdent.ops.support.consumer.OnFailure;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.k0rdent.ops.support.retry.RetryBackoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap service's work for one infrastructure event: hands it to the {@link ClusterBootstrapper}, then
 * publishes what it reports. Events for a generation older than one already handled are skipped. The record around
 * it (decoding or dead-lettering, the {@link AttemptBudget}, telemetry, the {@code after-handled} crash point) is the
 * {@link ConsumerSkeleton}'s: {@link #handle} returns only after the effect and its event are done (or the record was
 * dead-lettered), so the listener's offset commit comes after both, and throws to have the record delivered again.
 */
public final class InfrastructureEventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InfrastructureEventHandler.class);

    private final ClusterBootstrapper bootstrapper;
    private final BootstrapEventPublisher publisher;
    private final ConsumerSkeleton skeleton;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Predicate<String> suspended;
    private final BootstrapRetries retries;
    /**
     * One cluster's records and its automatic retries, never at once (the retries run on the scheduler's thread): the
     * one lock per cluster, which {@link ClusterBootstrapper} relies on instead of locking again.
     */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** The partition each cluster's records came from, so a revoked partition's clusters can be let go. */
    private final Map<String, TopicPartition> partitions = new ConcurrentHashMap<>();

    /**
     * A handler without telemetry (no-op tracer, a registry of its own) or suspensions, for tests of the handling
     * alone.
     */
    public InfrastructureEventHandler(ClusterBootstrapper bootstrapper, BootstrapEventPublisher publisher, String consumerGroup,
                                      AttemptBudget attempts) {
        this(bootstrapper, publisher, consumerGroup, attempts,
                new EventTelemetry(OpenTelemetry.noop(), new SimpleMeterRegistry(), "bootstrap"), cluster -> false,
                new BootstrapRetries(new RetryBackoff(Duration.ofSeconds(30), Duration.ofMinutes(30), 0, () -> 0.5),
                        Clock.systemUTC()));
    }

    /** A handler without an armed crash point, for tests. */
    public InfrastructureEventHandler(ClusterBootstrapper bootstrapper, BootstrapEventPublisher publisher, String consumerGroup,
                                      AttemptBudget attempts, EventTelemetry telemetry, Predicate<String> suspended,
                                      BootstrapRetries retries) {
        this(bootstrapper, publisher, consumerGroup, attempts, telemetry, suspended, retries, CrashPoints.none());
    }

    /**
     * @param suspended   whether a cluster is suspended ({@code k0ops suspend}): its events are then skipped, since
     *                    the provisioner re-drives the cluster when it is resumed
     * @param retries     failures in a row and the automatic retries they are due
     * @param crashPoints the process's armed crash point, if any
     */
    public InfrastructureEventHandler(ClusterBootstrapper bootstrapper, BootstrapEventPublisher publisher, String consumerGroup,
                                      AttemptBudget attempts, EventTelemetry telemetry, Predicate<String> suspended,
                                      BootstrapRetries retries, CrashPoints crashPoints) {
        this.retries = retries;
        this.suspended = suspended;
        this.bootstrapper = bootstrapper;
        this.publisher = publisher;
        ClusterEventCodec codec = new ClusterEventCodec(BootstrapEventPublisher.SOURCE);
        this.skeleton = new ConsumerSkeleton(codec::decode,
                (record, reason, cause) -> publisher.deadLetter(record, consumerGroup, reason, cause),
                new OnFailure.RetryWithin(attempts), telemetry, crashPoints);
    }

    /** Handles one record through the {@link ConsumerSkeleton}; see the class comment. */
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null) {
            partitions.put(record.key(), new TopicPartition(record.topic(), record.partition()));
        }
        skeleton.consume(record, this::apply);
    }

    /**
     * Lets go of the clusters of partitions this replica no longer owns (a rebalance moved them to another replica):
     * their automatic retries and generations are dropped, after a retry running now has finished, since the new
     * owner consumes their records from the committed offset and must be the only one working on them.
     */
    public void release(Collection<TopicPartition> revoked) {
        List<String> clusters = partitions.entrySet().stream().filter(e -> revoked.contains(e.getValue()))
                .map(Map.Entry::getKey).toList();
        for (String cluster : clusters) {
            ReentrantLock lock = locks.computeIfAbsent(cluster, c -> new ReentrantLock());
            lock.lock();
            try {
                retries.reset(cluster);
                generations.remove(cluster);
                partitions.remove(cluster);
            } finally {
                lock.unlock();
            }
        }
        if (!clusters.isEmpty()) {
            LOG.info("Partitions {} moved to another replica: let go of clusters {}", revoked, clusters);
        }
    }

    /**
     * Takes over a retry that was pending for a cluster of a partition this replica was just given (see
     * {@link RetryRecovery}), unless this replica already works on a newer generation of it.
     */
    public void restore(PendingRetries.Pending pending, TopicPartition partition) {
        String cluster = pending.cause().header().clusterName();
        long generation = pending.cause().header().generation();
        ReentrantLock lock = locks.computeIfAbsent(cluster, c -> new ReentrantLock());
        lock.lock();
        try {
            Long seen = generations.get(cluster);
            if (seen != null && seen > generation) {
                return;
            }
            retries.restore(pending.cause(), pending.attempt(), pending.nextAt());
            generations.merge(cluster, generation, Math::max);
            if (partition != null) {
                partitions.put(cluster, partition);
            }
        } finally {
            lock.unlock();
        }
    }

    private void apply(ClusterEvent event) {
        ReentrantLock lock = locks.computeIfAbsent(event.header().clusterName(), c -> new ReentrantLock());
        lock.lock();
        try {
            applyLocked(event);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs again what failed retryably and whose backoff has passed (issue 18 item 4): the same infrastructure event
     * or retirement, unless the cluster has moved on (a newer generation was handled, it was suspended or
     * destroyed). Publishes the outcome, a further failure with its next retry time.
     */
    public void retryDue() {
        for (BootstrapRetries.Due due : retries.takeDue()) {
            ReentrantLock lock = locks.computeIfAbsent(due.cluster(), c -> new ReentrantLock());
            lock.lock();
            try {
                Long seen = generations.get(due.cluster());
                if (suspended.test(due.cluster()) || seen == null || seen > due.cause().header().generation()) {
                    LOG.info("cluster {}: not retrying generation {}: the cluster moved on", due.cluster(),
                            due.cause().header().generation());
                    continue;
                }
                LOG.info("cluster {}: retrying {} after failure {} in a row", due.cluster(), due.cause().type(),
                        due.attempt());
                publisher.publish(retries.track(due.cause(), run(due.cause())));
            } catch (RuntimeException e) {
                // Kafka unavailable: the cluster stays failed until its next event, a Git change or k0ops reconcile.
                LOG.warn("cluster {}: retry {} could not run: {}", due.cluster(), due.attempt(), e.toString());
            } finally {
                lock.unlock();
            }
        }
    }

    private BootstrapEvent run(ClusterEvent cause) {
        return cause instanceof NodesRetirementRequested retirement ? bootstrapper.retire(retirement)
                : bootstrapper.bootstrap((InfrastructureProvisioned) cause);
    }

    private void applyLocked(ClusterEvent event) {
        String cluster = event.header().clusterName();
        long generation = event.header().generation();
        if (suspended.test(cluster)) {
            // No bootstrap action for a suspended cluster. Nothing is lost: resuming makes the provisioner re-drive
            // the cluster, which reports its infrastructure (and retirements still waiting) again.
            LOG.info("cluster {} is suspended: skipping {} of generation {}", cluster, event.type(), generation);
            return;
        }
        Long seen = generations.get(cluster);
        if (seen != null && generation < seen) {
            LOG.info("cluster {}: skipping {} of generation {} (generation {} already handled)", cluster, event.type(), generation, seen);
            return;
        }
        if (event instanceof InfrastructureProvisioned || event instanceof NodesRetirementRequested) {
            // What failed before is not what is wanted now.
            retries.reset(cluster);
            publisher.publish(retries.track(event, run(event)));
        } else if (event instanceof InfrastructureDestroyed destroyed) {
            retries.reset(cluster);
            bootstrapper.destroyed(destroyed).ifPresent(publisher::publish);
            generations.remove(cluster);
            return;
        } else {
            // ProvisioningFailed and DriftDetected are the provisioner's and notifier's business.
            return;
        }
        generations.merge(cluster, generation, Math::max);
    }
}
