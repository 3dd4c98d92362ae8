package io.k0rdent.ops.gitwatcher.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent delivery ids, so that a host's redelivery of the same event triggers
 * nothing. Bounded: the oldest ids are forgotten first. A forgotten id costs one extra fetch at most,
 * which finds nothing new, so the bound is about memory, not correctness.
 */
public final class DeliveryDeduplicator {

    private final Map<String, Boolean> seen;

    public DeliveryDeduplicator(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records the id and tells whether it is new. */
    public synchronized boolean firstDelivery(WebhookProvider provider, String deliveryId) {
        return seen.put(provider + "/" + deliveryId, Boolean.TRUE) == null;
    }
}
