package io.k0rdent.ops.notifier;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryListener;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    /** Sends every digest group whose window has ended. Called by a ticker. */
    public void flushDue() {
        for (DigestWindow.Batch batch : digest.due(clock.instant())) {
            dispatch(batch);
        }
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
     * A configured destination with its worker.
     *
     * @param name    the destination's name
     * @param channel its kind
     * @param worker  its delivery queue
     */
    public record Destination(String name, Channel channel, DestinationWorker worker) {
    }
}
