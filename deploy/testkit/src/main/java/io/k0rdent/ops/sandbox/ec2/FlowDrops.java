package io.k0rdent.ops.sandbox.ec2;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault switches that drop kinds of flows for a while, as a network partition or a broken route on AWS would:
 * the flow is silently lost, whatever the routes and security groups say. Expiry reads the emulator's clock.
 */
final class FlowDrops {

    private record Drop(FlowKind kind, Instant until, AtomicLong dropped) {
    }

    private final Clock clock;
    private final List<Drop> drops = new CopyOnWriteArrayList<>();
    private final AtomicLong totalDropped = new AtomicLong();

    FlowDrops(Clock clock) {
        this.clock = clock;
    }

    void drop(FlowKind kind, Duration duration) {
        drops.add(new Drop(kind, clock.instant().plus(duration), new AtomicLong()));
    }

    void restore() {
        drops.clear();
    }

    /** The verdict for {@code flow} while a switch that matches it is on. */
    Optional<NetworkVerdict> verdict(Flow flow) {
        Instant now = clock.instant();
        drops.removeIf(d -> !now.isBefore(d.until()));
        for (Drop drop : drops) {
            if (drop.kind().matches(flow)) {
                drop.dropped().incrementAndGet();
                totalDropped.incrementAndGet();
                return Optional.of(NetworkVerdict.dropped("not delivered: dropped by fault (" + drop.kind().name()
                        + ")"));
            }
        }
        return Optional.empty();
    }

    long dropped() {
        return totalDropped.get();
    }
}
