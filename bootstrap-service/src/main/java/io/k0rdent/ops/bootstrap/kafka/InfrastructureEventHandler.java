package io.k0rdent.ops.bootstrap.kafka;

import io.k0rdent.ops.support.AttemptBudget;
import io.k0rdent.ops.bootstrap.phase.ClusterBootstrapper;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.bootstrap.phase.BootstrapRetries;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.support.retry.RetryBackoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import io.k0rdent.ops.support.telemetry.ConsumedRecord;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one infrastructure record and hands it to the {@link ClusterBootstrapper}, then publishes
 * what it reports. Records that are not readable events go to the dead-letter topic; events for a
 * generation older than one already handled are skipped. Returns only after the effect and its event
 * are done, so the listener's offset commit comes after both.
 *
 * <p>When handling a readable event throws (the event cannot be published, the management cluster's API
 * fails), the exception leaves this class, the offset stays uncommitted and micronaut-kafka delivers the
 * record again. Once the {@link AttemptBudget} is spent, the record goes to the dead-letter topic with
 * {@code RETRIES_EXHAUSTED} instead, and only then returns, so its offset is committed after the dead letter
 * is acknowledged and the partition moves on.
 */
public final class InfrastructureEventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InfrastructureEventHandler.class);

    private final ClusterBootstrapper bootstrapper;
    private final BootstrapEventPublisher publisher;
    private final String consumerGroup;
    private final AttemptBudget attempts;
    private final ClusterEventCodec codec = new ClusterEventCodec(BootstrapEventPublisher.SOURCE);
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final EventTelemetry telemetry;
    private final Predicate<String> suspended;
    private final BootstrapRetries retries;
    /** One cluster's records and its automatic retries, never at once (the retries run on the scheduler's thread). */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

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

    /**
     * @param suspended whether a cluster is suspended ({@code k0ops suspend}): its events are then skipped, since
     *                  the provisioner re-drives the cluster when it is resumed
     * @param retries   failures in a row and the automatic retries they are due
     */
    public InfrastructureEventHandler(ClusterBootstrapper bootstrapper, BootstrapEventPublisher publisher, String consumerGroup,
                                      AttemptBudget attempts, EventTelemetry telemetry, Predicate<String> suspended,
                                      BootstrapRetries retries) {
        this.retries = retries;
        this.telemetry = telemetry;
        this.suspended = suspended;
        this.bootstrapper = bootstrapper;
        this.publisher = publisher;
        this.consumerGroup = consumerGroup;
        this.attempts = attempts;
    }

    /** Handles one record inside its consumer span, which continues the provisioner's trace. */
    public void handle(ConsumerRecord<String, byte[]> record) {
        try (ConsumedRecord observed = telemetry.consume(record)) {
            handle(record, observed);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, ConsumedRecord observed) {
        ClusterEvent event;
        try {
            event = codec.decode(record);
        } catch (EventDecodingException e) {
            DeadLetterReason reason = DeadLetterReason.of(e);
            LOG.warn("dead-lettering {}/{}/{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            observed.failed(reason.name(), e);
            publisher.deadLetter(record, consumerGroup, reason, e);
            return;
        }
        observed.event(event.header().clusterName(), event.header().generation());
        try {
            apply(event);
            attempts.done(record);
        } catch (RuntimeException e) {
            if (attempts.failedMayRetry(record)) {
                observed.failed("retry", e);
                // micronaut-kafka logs it (handleAllExceptions) and delivers the record again.
                throw e;
            }
            observed.failed(DeadLetterReason.RETRIES_EXHAUSTED.name(), e);
            // Forgotten before the dead letter is sent: should that send fail too, the record comes back with a
            // fresh budget instead of being dead-lettered without ever being tried again.
            attempts.done(record);
            LOG.error("dead-lettering {}/{}/{} after its last attempt: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            publisher.deadLetter(record, consumerGroup, DeadLetterReason.RETRIES_EXHAUSTED, e);
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
