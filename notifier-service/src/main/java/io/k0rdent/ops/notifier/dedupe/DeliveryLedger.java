package io.k0rdent.ops.notifier.dedupe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which (event, destination) pairs are settled, so that a redelivered record sends nothing twice.
 *
 * <p>The durable copy is the compacted topic {@code k0rdent.notifier.deliveries}; this in-memory view is
 * loaded from it on start (read to its end) and updated after each record is written with {@code acks=all}.
 * Thread-safe.
 *
 * <p>Pairs on their way (in a digest window or a destination queue) are <em>claimed</em>, so that a second record
 * with the same event id (producers may publish an event twice; its id is derived, so it is the same) sends
 * nothing while the first is still in flight. Both records are on the same partition (same cluster key), so the
 * second's offset cannot be committed before the first is settled.
 */
public final class DeliveryLedger {

    private final Map<String, LedgerEntry> entries = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public static String key(UUID eventId, String destination) {
        return eventId + "/" + destination;
    }

    public boolean isSettled(UUID eventId, String destination) {
        return entries.containsKey(key(eventId, destination));
    }

    /** Claims a pair for delivery; {@code false} when it is settled or already in flight. */
    public boolean claim(UUID eventId, String destination) {
        String key = key(eventId, destination);
        if (!inFlight.add(key)) {
            return false;
        }
        if (entries.containsKey(key)) {
            inFlight.remove(key);
            return false;
        }
        return true;
    }

    /** Gives a claim back without settling the pair (it was not sent, e.g. suppressed). */
    public void release(UUID eventId, String destination) {
        inFlight.remove(key(eventId, destination));
    }

    /** Remembers an entry that is already durable, and ends its claim. */
    public void remember(LedgerEntry entry) {
        entries.put(entry.key(), entry);
        inFlight.remove(entry.key());
    }

    public int size() {
        return entries.size();
    }

    /**
     * Forgets entries recorded before {@code cutoff} and returns them, so their keys can be tombstoned in the topic.
     * Safe once the cutoff is older than the lifecycle topics' retention: such events can no longer be redelivered.
     */
    public List<LedgerEntry> expire(Instant cutoff) {
        List<LedgerEntry> expired = new ArrayList<>();
        entries.values().removeIf(entry -> {
            boolean old = entry.recordedAt() != null && entry.recordedAt().isBefore(cutoff);
            if (old) {
                expired.add(entry);
            }
            return old;
        });
        return expired;
    }
}
