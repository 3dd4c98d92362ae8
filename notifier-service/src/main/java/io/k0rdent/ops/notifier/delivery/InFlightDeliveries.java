package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.notifier.digest.PendingNotification;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Notifications handed to a destination worker and not settled yet, counted per partition of their record and
 * destination. When a partition is revoked, the replica that loses it takes back what its workers have not sent yet
 * and waits for the sends already under way: a send must be recorded in the delivery ledger before the new owner
 * catches up with the ledger, or the new owner would tell the same event again.
 *
 * <p>Thread-safe: the digest ticker tracks, destination workers settle, the consumer thread waits.
 */
public final class InFlightDeliveries {

    private record Key(TopicPartition partition, String destination) {
    }

    private final Map<Key, Integer> counts = new HashMap<>();

    /** Counts {@code item} as in flight until its ticket is settled; answers the item to hand to the worker. */
    public synchronized PendingNotification track(PendingNotification item) {
        if (item.source() == null) {
            return item;
        }
        Key key = new Key(partitionOf(item), item.route().destination());
        counts.merge(key, 1, Integer::sum);
        return new PendingNotification(item.notice(), item.route(), item.source(), new Tracked(key, item.ticket()));
    }

    /**
     * Stops counting {@code item}, which will not be sent here after all (its partition moved, or it goes back to a
     * digest window), without settling its record's ticket; answers the item as it was before {@link #track}.
     */
    public PendingNotification untrack(PendingNotification item) {
        if (!(item.ticket() instanceof Tracked tracked)) {
            return item;
        }
        tracked.forget();
        return new PendingNotification(item.notice(), item.route(), item.source(), tracked.original);
    }

    /** How many tracked notifications of {@code partitions} are not settled. */
    public synchronized int inFlight(Collection<TopicPartition> partitions) {
        return counts.entrySet().stream().filter(e -> partitions.contains(e.getKey().partition()))
                .mapToInt(Map.Entry::getValue).sum();
    }

    /** How many tracked notifications are not settled, of any partition. */
    public synchronized int inFlight() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The destinations holding unsettled notifications of {@code partitions}. */
    public synchronized Set<String> destinations(Collection<TopicPartition> partitions) {
        return counts.keySet().stream().filter(k -> partitions.contains(k.partition())).map(Key::destination)
                .collect(Collectors.toSet());
    }

    /**
     * Waits until no tracked notification of {@code partitions} is unsettled, at most {@code timeout}.
     *
     * @return whether none is left
     */
    public synchronized boolean awaitSettled(Collection<TopicPartition> partitions, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight(partitions) > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The partition of the record {@code item} came from. */
    public static TopicPartition partitionOf(PendingNotification item) {
        return new TopicPartition(item.source().topic(), item.source().partition());
    }

    private synchronized void release(Key key) {
        counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    /** The ticket a tracked item carries: settles the original once, and stops counting it. */
    private final class Tracked implements Ticket {
        private final Key key;
        private final Ticket original;
        private boolean done;

        private Tracked(Key key, Ticket original) {
            this.key = key;
            this.original = original;
        }

        @Override
        public void settle() {
            if (!finish()) {
                return;
            }
            // The record's own ticket first: a hand-over that stops waiting then commits its offset too.
            original.settle();
            release(key);
        }

        void forget() {
            if (finish()) {
                release(key);
            }
        }

        private boolean finish() {
            synchronized (InFlightDeliveries.this) {
                if (done) {
                    return false;
                }
                done = true;
                return true;
            }
        }
    }
}
