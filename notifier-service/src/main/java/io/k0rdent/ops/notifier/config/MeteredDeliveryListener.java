package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryListener;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Counts messages per destination and outcome ({@code k0rdent.notifier.messages}) and the events they covered
 * ({@code k0rdent.notifier.events}), around the real {@link DeliveryListener}. Counted only after the outcome is
 * recorded, so the metric never shows a delivery the ledger does not know.
 */
public final class MeteredDeliveryListener implements DeliveryListener {

    private final DeliveryListener delegate;
    private final MeterRegistry registry;
    private final EventTelemetry telemetry;
    private final Clock clock;

    public MeteredDeliveryListener(DeliveryListener delegate, MeterRegistry registry, EventTelemetry telemetry,
                                   Clock clock) {
        this.delegate = delegate;
        this.registry = registry;
        this.telemetry = telemetry;
        this.clock = clock;
    }

    @Override
    public void delivered(Delivery delivery) {
        delegate.delivered(delivery);
        count(delivery, "delivered");
        notification(delivery, "sent");
        stage(delivery, true);
    }

    @Override
    public void failed(Delivery delivery, String reason, boolean permanent) {
        delegate.failed(delivery, reason, permanent);
        count(delivery, permanent ? "rejected" : "gave-up");
        notification(delivery, "failed");
        stage(delivery, false);
    }

    /** {@code k0rdent.notifications}: one per message (a digest is one), the dashboards' notification rate. */
    private void notification(Delivery delivery, String outcome) {
        registry.counter(MetricNames.NOTIFICATIONS, "channel", delivery.channel().name().toLowerCase(Locale.ROOT),
                "outcome", outcome).increment();
    }

    /**
     * The notify stage of each event in the message: from the event's own time to the message settling, so it
     * includes the digest window and the rate limits, which is what the person waiting for it experiences.
     */
    private void stage(Delivery delivery, boolean success) {
        for (PendingNotification item : delivery.items()) {
            Duration took = Duration.between(item.notice().event().header().occurredAt(), clock.instant());
            telemetry.recordStage("notify", success, took.isNegative() ? Duration.ZERO : took);
        }
    }

    private void count(Delivery delivery, String outcome) {
        String channel = delivery.channel().name().toLowerCase(Locale.ROOT);
        registry.counter("k0rdent.notifier.messages", "destination", delivery.destination(), "channel", channel,
                "outcome", outcome).increment();
        registry.counter("k0rdent.notifier.events", "destination", delivery.destination(), "channel", channel,
                "outcome", outcome).increment(delivery.items().size());
    }
}
