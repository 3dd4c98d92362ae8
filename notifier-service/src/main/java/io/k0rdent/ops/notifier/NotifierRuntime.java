package io.k0rdent.ops.notifier;

import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.notifier.config.NotifierFactory;
import io.k0rdent.ops.notifier.config.NotifierProperties;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.kafka.LedgerLoader;
import io.k0rdent.ops.notifier.kafka.NotificationConsumer;
import io.k0rdent.ops.notifier.kafka.OffsetTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the notifier in the only safe order: load the delivery ledger to the end of its topic and rebuild
 * the failure memory from it, then start the digest ticker, then consume. Stops in reverse.
 */
@Context
@Requires(property = NotifierProperties.PREFIX + ".runtime.enabled", notEquals = "false")
public class NotifierRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierRuntime.class);

    private final LedgerLoader loader;
    private final DeliveryLedger ledger;
    private final ClusterHealth health;
    private final NotificationService service;
    private final NotificationConsumer consumer;
    private final NotifierProperties props;
    private final DeliveryRecorder recorder;
    private final Clock clock;
    private final ScheduledExecutorService ticker;

    public NotifierRuntime(LedgerLoader loader, DeliveryLedger ledger, ClusterHealth health,
                           NotificationService service, NotificationConsumer consumer, NotifierProperties props,
                           DeliveryRecorder recorder, Clock clock, OffsetTracker offsets, MeterRegistry meters,
                           @Named(NotifierFactory.DIGEST_TICKER) ScheduledExecutorService ticker) {
        this.loader = loader;
        this.ledger = ledger;
        this.health = health;
        this.service = service;
        this.consumer = consumer;
        this.props = props;
        this.recorder = recorder;
        this.clock = clock;
        this.ticker = ticker;
        // Gauges: how much waits in digest windows, and how many consumed records wait for their deliveries.
        meters.gauge("k0rdent.notifier.buffered", service, NotificationService::buffered);
        meters.gauge("k0rdent.notifier.unsettled.records", offsets, OffsetTracker::unsettled);
    }

    @PostConstruct
    void start() {
        List<LedgerEntry> entries = new ArrayList<>();
        int count = loader.load(entries::add);
        entries.forEach(ledger::remember);
        // Failure memory is rebuilt in event time order, as it was built.
        entries.stream().filter(e -> e.status() == LedgerEntry.Status.DELIVERED && e.eventAt() != null)
                .sorted(Comparator.comparing(LedgerEntry::eventAt))
                .forEach(e -> EventType.fromCeType(e.eventType()).ifPresent(type ->
                        health.replay(e.cluster(), type, e.failureDetail(), e.eventId(), e.eventAt(),
                                e.generation())));
        LOG.info("Loaded {} delivery records", count);
        expireLedger();
        long tick = props.tick().toMillis();
        ticker.scheduleWithFixedDelay(this::flush, tick, tick, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::expireLedger, 1, 1, TimeUnit.HOURS);
        consumer.start();
    }

    private void flush() {
        try {
            service.flushDue();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; the ticker must survive anything.
            LOG.error("Digest flush failed", e);
        }
    }

    /** Tombstones pairs older than the retention, so neither the topic nor the memory grows without bound. */
    private void expireLedger() {
        try {
            List<LedgerEntry> expired = ledger.expire(clock.instant().minus(props.ledgerRetention()));
            recorder.forget(expired);
            if (!expired.isEmpty()) {
                LOG.info("Forgot {} delivery records older than {}", expired.size(), props.ledgerRetention());
            }
        } catch (RuntimeException e) {
            // The entries stay in the topic and are expired again on the next start.
            LOG.warn("Could not expire old delivery records", e);
        }
    }

    @PreDestroy
    void stop() {
        consumer.close();
        ticker.shutdownNow();
    }
}
