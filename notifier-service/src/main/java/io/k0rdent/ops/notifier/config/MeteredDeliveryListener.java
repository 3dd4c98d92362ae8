package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Counts messages per destination and outcome ({@code k0rdent.notifier.messages}) and the events they covered
 * ({@code k0rdent.notifier.events}), around the real {@link DeliveryListener}. Counted only after the outcome is
 * recorded, so the metric never shows a delivery the ledger does not know.
 */
public final class MeteredDeliveryListener implements DeliveryListener {

    private final DeliveryListener delegate;
    private final MeterRegistry registry;

    public MeteredDeliveryListener(DeliveryListener delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public void delivered(Delivery delivery) {
        delegate.delivered(delivery);
        count(delivery, "delivered");
    }

    @Override
    public void failed(Delivery delivery, String reason, boolean permanent) {
        delegate.failed(delivery, reason, permanent);
        count(delivery, permanent ? "rejected" : "gave-up");
    }

    private void count(Delivery delivery, String outcome) {
        String channel = delivery.channel().name().toLowerCase(Locale.ROOT);
        registry.counter("k0rdent.notifier.messages", "destination", delivery.destination(), "channel", channel,
                "outcome", outcome).increment();
        registry.counter("k0rdent.notifier.events", "destination", delivery.destination(), "channel", channel,
                "outcome", outcome).increment(delivery.items().size());
    }
}
