package io.k0rdent.ops.notifier.digest;

import io.k0rdent.ops.contracts.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Collects notifications per destination, commit and event type for a short window, so that one commit
 * touching 200 clusters yields one digest message per destination instead of 200.
 *
 * <p>A group opens with its first notification and is due {@code window} later (or as soon as it holds
 * {@code maxEvents}). A group holds at most one notification per cluster: two events of the same cluster, commit and
 * type are two changes (a force-push back to an earlier commit re-creates a cluster at the commit of its first
 * creation, with a new generation and new event ids), so the second opens a group of its own and is told on its own,
 * never folded into the first one's message. Nothing is settled here: the offsets of buffered events stay uncommitted until their
 * digest is sent and recorded, so a crash inside the window loses nothing.
 *
 * <p>Thread-safe: the consumer adds, a ticker takes what is due.
 */
public final class DigestWindow {

    private final Duration window;
    private final int maxEvents;
    private final Map<GroupKey, Group> groups = new LinkedHashMap<>();

    /**
     * @param window    how long a group stays open; zero sends every notification on its own at the next tick
     * @param maxEvents a group is due when it holds this many, to bound memory and message size
     */
    public DigestWindow(Duration window, int maxEvents) {
        if (window.isNegative() || maxEvents < 1) {
            throw new IllegalArgumentException("window must be >= 0 and maxEvents >= 1");
        }
        this.window = window;
        this.maxEvents = maxEvents;
    }

    public synchronized void add(PendingNotification notification, Instant now) {
        String cluster = notification.notice().event().header().clusterName();
        GroupKey key = GroupKey.of(notification);
        Group group = groups.get(key);
        while (group != null && group.clusters.contains(cluster)) {
            // Another change of this cluster already waits here: this one gets its own message.
            key = key.next();
            group = groups.get(key);
        }
        if (group == null) {
            group = new Group(now);
            groups.put(key, group);
        }
        group.items.add(notification);
        group.clusters.add(cluster);
    }

    /** The groups whose window has ended at {@code now}, removed from the window, oldest first. */
    public synchronized List<Batch> due(Instant now) {
        List<Batch> due = new ArrayList<>();
        Iterator<Map.Entry<GroupKey, Group>> it = groups.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<GroupKey, Group> entry = it.next();
            Group group = entry.getValue();
            if (!now.isBefore(group.openedAt.plus(window)) || group.items.size() >= maxEvents) {
                it.remove();
                due.add(new Batch(entry.getKey().destination(), entry.getKey().recipient(), group.items));
            }
        }
        return due;
    }

    /**
     * Removes every waiting notification whose record came from one of {@code partitions} (they were revoked: another
     * replica will consume those records again and tell them), and answers them. Their tickets are not settled, so
     * their offsets are never committed by this replica.
     */
    public synchronized List<PendingNotification> removeFrom(Collection<TopicPartition> partitions) {
        List<PendingNotification> removed = new ArrayList<>();
        Iterator<Group> it = groups.values().iterator();
        while (it.hasNext()) {
            Group group = it.next();
            Iterator<PendingNotification> items = group.items.iterator();
            while (items.hasNext()) {
                PendingNotification item = items.next();
                if (item.source() != null
                        && partitions.contains(new TopicPartition(item.source().topic(), item.source().partition()))) {
                    items.remove();
                    group.clusters.remove(item.notice().event().header().clusterName());
                    removed.add(item);
                }
            }
            if (group.items.isEmpty()) {
                it.remove();
            }
        }
        return removed;
    }

    /** Notifications waiting in open groups. */
    public synchronized int pending() {
        return groups.values().stream().mapToInt(g -> g.items.size()).sum();
    }

    /**
     * What a digest groups by. The recipient is part of it so that author e-mails for different authors
     * never merge (one commit has one author, so normally it changes nothing). {@code round} tells apart groups
     * that would otherwise share a key, because one already holds a change of a cluster that the other holds too.
     */
    record GroupKey(String destination, String recipient, String commit, EventType type, int round) {

        static GroupKey of(PendingNotification n) {
            return new GroupKey(n.route().destination(), n.route().recipient(),
                    Objects.requireNonNullElse(n.notice().event().header().gitCommit(), ""), n.notice().event().type(),
                    0);
        }

        GroupKey next() {
            return new GroupKey(destination, recipient, commit, type, round + 1);
        }
    }

    private static final class Group {
        private final Instant openedAt;
        private final List<PendingNotification> items = new ArrayList<>();
        private final Set<String> clusters = new HashSet<>();

        private Group(Instant openedAt) {
            this.openedAt = openedAt;
        }
    }

    /**
     * Notifications that go out as one message.
     *
     * @param destination the destination name
     * @param recipient   the per-route recipient (commit author), or {@code null}
     * @param items       one or more notifications, in arrival order
     */
    public record Batch(String destination, String recipient, List<PendingNotification> items) {

        public Batch {
            items = List.copyOf(items);
        }
    }
}
