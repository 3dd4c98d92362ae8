package io.k0rdent.ops.notifier;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryListener;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
import io.k0rdent.ops.notifier.delivery.InFlightDeliveries;
import io.k0rdent.ops.notifier.delivery.Ticket;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.DigestWindow;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.notifier.message.MessageContent;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import io.k0rdent.ops.notifier.routing.NotificationRouter;
import io.k0rdent.ops.notifier.routing.Route;
import io.k0rdent.ops.notifier.routing.Severity;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's domain flow for one decoded event: route it, drop the destinations that already have it
 * (ledger), suppress repeats within the cooldown, and park the rest in the digest window. A ticker
 * ({@link #flushDue()}) turns due windows into messages and hands them to each destination's worker.
 *
 * <p>The record's ticket is settled once every destination of the event has settled, so its offset
 * is committed only then.
 */
public final class NotificationService {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotificationRouter router;
    private final DeliveryLedger ledger;
    private final ClusterHealth health;
    private final DigestWindow digest;
    private final MessageRenderer renderer;
    private final Map<String, Destination> destinations;
    private final DeliveryListener settlement;
    private final Clock clock;
    private final Duration maxEventAge;
    private final MeterRegistry meters;
    private final InFlightDeliveries inFlight = new InFlightDeliveries();
    // Taking due groups and counting them in flight is one step, so a hand-over never misses a batch in between.
    private final Object dispatching = new Object();

    public NotificationService(NotificationRouter router, DeliveryLedger ledger, ClusterHealth health,
                               DigestWindow digest, MessageRenderer renderer, Map<String, Destination> destinations,
                               DeliveryListener settlement, Clock clock) {
        this(router, ledger, health, digest, renderer, destinations, settlement, clock, Duration.ZERO);
    }

    /**
     * @param maxEventAge events older than this are not told (a new consumer group reading a month of history, or a
     *                    long outage, must not flood people with stale news); zero tells events of any age
     */
    public NotificationService(NotificationRouter router, DeliveryLedger ledger, ClusterHealth health,
                               DigestWindow digest, MessageRenderer renderer, Map<String, Destination> destinations,
                               DeliveryListener settlement, Clock clock, Duration maxEventAge) {
        this(router, ledger, health, digest, renderer, destinations, settlement, clock, maxEventAge,
                new SimpleMeterRegistry());
    }

    /** @param meters for {@code k0rdent.notifications{outcome=deduped}} */
    public NotificationService(NotificationRouter router, DeliveryLedger ledger, ClusterHealth health,
                               DigestWindow digest, MessageRenderer renderer, Map<String, Destination> destinations,
                               DeliveryListener settlement, Clock clock, Duration maxEventAge, MeterRegistry meters) {
        this.meters = meters;
        this.router = router;
        this.ledger = ledger;
        this.health = health;
        this.digest = digest;
        this.renderer = renderer;
        this.destinations = Map.copyOf(destinations);
        this.settlement = settlement;
        this.clock = clock;
        this.maxEventAge = maxEventAge;
    }

    /**
     * Takes one event. Returns at once; {@code recordTicket} is settled when all its destinations are.
     *
     * @param source the record it came from, for dead-lettering on a permanent failure
     */
    public void accept(ClusterEvent event, ConsumerRecord<String, byte[]> source, Ticket recordTicket) {
        UUID eventId = event.header().eventId();
        if (!maxEventAge.isZero() && event.header().occurredAt().isBefore(clock.instant().minus(maxEventAge))) {
            LOG.debug("Not telling {} of {}: older than {}", event.type(), event.header().clusterName(), maxEventAge);
            recordTicket.settle();
            return;
        }
        // Pairs already settled (a redelivery) or in flight (the same event published twice) are skipped.
        List<Route> routes = router.route(event).stream()
                .filter(route -> claimed(eventId, route))
                .toList();
        if (routes.isEmpty()) {
            recordTicket.settle();
            return;
        }
        ClusterHealth.Assessment assessment = health.assess(event);
        if (assessment.suppressed()) {
            LOG.info("Suppressed {} for {}: same failure within the cooldown", event.type(),
                    event.header().clusterName());
            routes.forEach(route -> ledger.release(eventId, route.destination()));
            recordTicket.settle();
            return;
        }
        AtomicInteger open = new AtomicInteger(routes.size());
        Ticket perRoute = () -> {
            if (open.decrementAndGet() == 0) {
                recordTicket.settle();
            }
        };
        Instant now = clock.instant();
        Notice notice = new Notice(event, assessment.recovery(), assessment.flowStartedAt());
        for (Route route : routes) {
            digest.add(new PendingNotification(notice, route, source, perRoute), now);
        }
    }

    private boolean claimed(UUID eventId, Route route) {
        if (ledger.claim(eventId, route.destination())) {
            return true;
        }
        Destination destination = destinations.get(route.destination());
        String channel = destination == null ? "unknown" : destination.channel().name().toLowerCase(Locale.ROOT);
        meters.counter(MetricNames.NOTIFICATIONS, "channel", channel, "outcome", "deduped").increment();
        return false;
    }

    /**
     * Sends every digest group whose window has ended. Called by a ticker. The groups are handed to their workers
     * under the same lock as they are taken, so a hand-over finds each either in a window or in a worker's queue.
     */
    public void flushDue() {
        synchronized (dispatching) {
            digest.due(clock.instant()).stream()
                    .map(batch -> new DigestWindow.Batch(batch.destination(), batch.recipient(),
                            batch.items().stream().map(inFlight::track).toList()))
                    .forEach(this::dispatch);
        }
    }

    /**
     * Gives up the events of revoked partitions, so that the new owner, which consumes the same records again, is
     * the only one to tell them: those still in digest windows, and those queued at a destination's worker and not
     * sent yet (waiting for a rate limit, a {@code Retry-After}, a backoff, or the messages before them), are taken
     * back unsent and unsettled, their claims released; the other events of a digest taken back go to a window
     * again. Sends already under way are waited for, at most {@code timeout} in all, so that they are in the delivery
     * ledger before the new owner catches up with it. Runs on the consumer thread, inside the rebalance.
     */
    public HandOver handOver(Collection<TopicPartition> revoked, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PendingNotification> removed;
        synchronized (dispatching) {
            removed = digest.removeFrom(revoked);
        }
        removed.forEach(this::release);
        int handedOver = removed.size();
        boolean settled;
        try {
            for (String name : inFlight.destinations(revoked)) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                List<Delivery> taken = destinations.get(name).worker()
                        .withdraw(delivery -> delivery.items().stream().anyMatch(i -> isFrom(i, revoked)), left)
                        .orElse(List.of());
                handedOver += putBack(taken, revoked);
            }
            settled = inFlight.awaitSettled(revoked, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settled = false;
        }
        HandOver result = new HandOver(handedOver, settled ? 0 : inFlight.inFlight(revoked));
        if (result.stillInFlight() > 0) {
            LOG.warn("{} notifications of {} were still being sent after {}; the new owner may tell them again",
                    result.stillInFlight(), revoked, timeout);
        } else if (result.handedOver() > 0) {
            LOG.info("Handed over {} waiting notifications of {}", result.handedOver(), revoked);
        }
        return result;
    }

    /** Releases the taken-back items of revoked partitions and re-queues the others; answers how many were released. */
    private int putBack(List<Delivery> taken, Collection<TopicPartition> revoked) {
        int released = 0;
        Instant now = clock.instant();
        for (Delivery delivery : taken) {
            for (PendingNotification tracked : delivery.items()) {
                PendingNotification item = inFlight.untrack(tracked);
                if (isFrom(item, revoked)) {
                    release(item);
                    released++;
                } else {
                    digest.add(item, now);
                }
            }
        }
        return released;
    }

    private void release(PendingNotification item) {
        ledger.release(item.notice().event().header().eventId(), item.route().destination());
    }

    private static boolean isFrom(PendingNotification item, Collection<TopicPartition> partitions) {
        return item.source() != null && partitions.contains(InFlightDeliveries.partitionOf(item));
    }

    /** Notifications handed to destination workers and not settled yet: queued, waiting to retry, or being sent. */
    public int inFlight() {
        return inFlight.inFlight();
    }

    /** Notifications still in digest windows. */
    public int buffered() {
        return digest.pending();
    }

    private void dispatch(DigestWindow.Batch batch) {
        Destination destination = destinations.get(batch.destination());
        if (destination.channel() == Channel.COMMIT_STATUS && batch.items().size() > 1) {
            // One status per cluster, each its own delivery: a retry or failure of one never touches another.
            batch.items().forEach(item -> dispatch(new DigestWindow.Batch(batch.destination(), batch.recipient(),
                    List.of(item))));
            return;
        }
        List<Notice> notices = batch.items().stream().map(PendingNotification::notice).toList();
        MessageContent content;
        try {
            content = renderer.render(notices);
        } catch (RuntimeException e) {
            LOG.error("Cannot render a message for {}", batch.destination(), e);
            settlement.failed(new Delivery(destination.channel(), placeholder(batch), batch.items()),
                    "cannot render: " + e.getClass().getSimpleName(), true);
            return;
        }
        OutgoingMessage message = new OutgoingMessage(messageId(batch), batch.destination(), batch.recipient(),
                content, subjects(batch));
        destination.worker().submit(new Delivery(destination.channel(), message, batch.items()));
    }

    private static OutgoingMessage placeholder(DigestWindow.Batch batch) {
        MessageContent empty = new MessageContent("", Severity.ERROR, List.of(),
                List.of(), 0, batch.items().size());
        return new OutgoingMessage(messageId(batch), batch.destination(), batch.recipient(), empty, subjects(batch));
    }

    /** The subject event's id; for a digest, an id derived from all its events, so a resend has the same id. */
    static UUID messageId(DigestWindow.Batch batch) {
        if (batch.items().size() == 1) {
            return batch.items().get(0).notice().event().header().eventId();
        }
        String[] ids = batch.items().stream().map(i -> i.notice().event().header().eventId().toString())
                .sorted().toArray(String[]::new);
        return EventIds.fromParts(ids);
    }

    private static List<OutgoingMessage.SubjectEvent> subjects(DigestWindow.Batch batch) {
        return batch.items().stream().map(i -> i.notice().event())
                .map(e -> new OutgoingMessage.SubjectEvent(e.header().eventId(), e.type().ceType(),
                        e.header().clusterName()))
                .toList();
    }

    /**
     * What a hand-over did.
     *
     * @param handedOver    notifications taken back from digest windows and destination queues, to be told by the
     *                      new owner
     * @param stillInFlight notifications whose sends had not settled when the wait ended
     */
    public record HandOver(int handedOver, int stillInFlight) {
    }

    /**
     * A configured destination with its worker.
     *
     * @param name    the destination's name
     * @param channel its kind
     * @param worker  its delivery queue
     */
    public record Destination(String name, Channel channel, DestinationWorker worker) {
    }
}
