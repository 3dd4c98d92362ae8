package io.k0rdent.ops.gitwatcher.sync;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Sync and event metrics for Prometheus: {@code gitwatcher.sync} (timer, by branch and outcome) and
 * {@code gitwatcher.events} (counter, by branch and event type), so that a stuck or failing branch and a
 * burst of rejections show up on a dashboard without reading logs.
 */
@Singleton
public class SyncMetrics {

    private final MeterRegistry registry;

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void recordSync(WatchKey key, String outcome, Duration duration) {
        Timer.builder("gitwatcher.sync")
                .description("One fetch-diff-publish cycle of a watched branch")
                .tag("repository", key.repository()).tag("branch", key.branch()).tag("outcome", outcome)
                .register(registry)
                .record(duration);
    }

    void recordEvents(WatchKey key, List<ClusterEvent> events) {
        for (ClusterEvent event : events) {
            Counter.builder("gitwatcher.events")
                    .description("Events committed to Kafka")
                    .tag("repository", key.repository()).tag("branch", key.branch())
                    .tag("type", event.getClass().getSimpleName())
                    .register(registry)
                    .increment();
        }
    }
}
