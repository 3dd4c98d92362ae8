package io.k0rdent.ops.notifier.digest;

import io.k0rdent.ops.contracts.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects notifications per destination, commit and event type for a short window, so that one commit
 * touching 200 clusters yields one digest message per destination instead of 200.
 *
 * <p>A group opens with its first notification and is due {@code window} later (or as soon as it holds
 * {@code maxEvents}). Nothing is settled here: the offsets of buffered events stay uncommitted until their
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
        GroupKey key = GroupKey.of(notification);
        groups.computeIfAbsent(key, k -> new Group(now)).items.add(notification);
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

    /** Notifications waiting in open groups. */
    public synchronized int pending() {
        return groups.values().stream().mapToInt(g -> g.items.size()).sum();
    }

    /**
     * What a digest groups by. The recipient is part of it so that author e-mails for different authors
     * never merge (one commit has one author, so normally it changes nothing).
     */
    record GroupKey(String destination, String recipient, String commit, EventType type) {

        static GroupKey of(PendingNotification n) {
            return new GroupKey(n.route().destination(), n.route().recipient(),
                    Objects.requireNonNullElse(n.notice().event().header().gitCommit(), ""), n.notice().event().type());
        }
    }

    private static final class Group {
        private final Instant openedAt;
        private final List<PendingNotification> items = new ArrayList<>();

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
