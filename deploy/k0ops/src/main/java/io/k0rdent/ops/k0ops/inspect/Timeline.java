package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One cluster's events in the order they happened, each with the time since the previous one: the
 * time spent in the stage that event ended.
 */
public final class Timeline {

    /** One line of the timeline; {@code sincePrevious} is {@code null} for the first event. */
    public record Entry(ClusterEvent event, Duration sincePrevious) {
    }

    private Timeline() {
    }

    public static List<Entry> of(List<ClusterEvent> events) {
        List<ClusterEvent> ordered = events.stream()
                .sorted(Comparator.comparing((ClusterEvent e) -> e.header().occurredAt())).toList();
        List<Entry> entries = new ArrayList<>();
        ClusterEvent previous = null;
        for (ClusterEvent event : ordered) {
            entries.add(new Entry(event, previous == null ? null
                    : Duration.between(previous.header().occurredAt(), event.header().occurredAt())));
            previous = event;
        }
        return entries;
    }

    /** {@code 1h02m}, {@code 3m05s}, {@code 4.2s}, {@code 15ms}. */
    public static String format(Duration duration) {
        if (duration == null) {
            return "";
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
