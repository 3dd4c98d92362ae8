package io.k0rdent.ops.notifier.telemetry;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.NotificationEvent;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters whose change is under way, for the {@code k0rdent.clusters.in.flight} gauges. The notifier reads every
 * lifecycle topic, so it alone sees a change from its definition event to its final one. A cluster is in flight from
 * any lifecycle event until one that ends the change: Ready, InfrastructureDestroyed, ProvisioningFailed,
 * BootstrapFailed or a rejection. Notification events and drift reports change nothing here. After a restart the
 * notifier re-reads what it has not committed, so the set is rebuilt from the uncommitted history only: a cluster that
 * was stuck before the last commit shows up again with its next event.
 */
public final class InFlightClusters {

    private final Clock clock;
    private final Map<String, Instant> lastEventAt = new ConcurrentHashMap<>();

    public InFlightClusters(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        Gauge.builder(MetricNames.CLUSTERS_IN_FLIGHT, lastEventAt, Map::size)
                .description("Clusters whose last lifecycle event is not a final one")
                .register(meters);
        Gauge.builder(MetricNames.OLDEST_IN_FLIGHT_AGE, this, InFlightClusters::oldestAgeSeconds)
                .description("How long the in-flight cluster that has waited longest has gone without an event")
                .baseUnit("seconds")
                .register(meters);
    }

    /** Takes one consumed lifecycle event. */
    public void observe(ClusterEvent event) {
        if (event instanceof NotificationEvent || event instanceof DriftDetected) {
            return;
        }
        String cluster = event.header().clusterName();
        if (event instanceof ClusterReady || event instanceof InfrastructureDestroyed
                || event instanceof ProvisioningFailed || event instanceof BootstrapFailed
                || event instanceof ClusterDefinitionRejected) {
            lastEventAt.remove(cluster);
        } else {
            // The event's own time, not ours: a backlog read late must not look fresh.
            lastEventAt.merge(cluster, event.header().occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    public int count() {
        return lastEventAt.size();
    }

    double oldestAgeSeconds() {
        Instant now = clock.instant();
        return lastEventAt.values().stream().min(Instant::compareTo)
                .map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0)).orElse(0.0);
    }
}
