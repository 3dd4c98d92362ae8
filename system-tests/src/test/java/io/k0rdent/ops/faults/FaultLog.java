package io.k0rdent.ops.faults;

import io.k0rdent.ops.k0ops.up.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** What the run did, counted for the report: kills per service and moment, restarts, outages. Thread-safe. */
final class FaultLog {

    private final Instant start = Instant.now();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> out;
    private final java.nio.file.Path timeline;

    /** {@code timeline}: a file the lines are appended to as they happen (the test's stdout is only kept at its end). */
    FaultLog(Consumer<String> out, java.nio.file.Path timeline) {
        this.out = out;
        this.timeline = timeline;
    }

    synchronized void kill(Replica replica, Moment moment, Phase phase) {
        // Counted per service (the invariants count the notifier's deaths whichever replica died), told per replica.
        count("kill " + replica.service().shortName() + " " + moment.name().toLowerCase().replace('_', '-')
                + " (" + phase + ")");
        count("kills");
        note("kill -9 " + replica.name() + " at " + moment + " during " + phase);
    }

    synchronized void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    synchronized void note(String line) {
        String stamped = "+" + Duration.between(start, Instant.now()).toSeconds() + "s " + line;
        lines.add(stamped);
        out.accept("[faults] " + stamped);
        try {
            java.nio.file.Files.writeString(timeline, stamped + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            out.accept("[faults] cannot append to " + timeline + ": " + e);
        }
    }

    synchronized int get(String what) {
        return counts.getOrDefault(what, 0);
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
