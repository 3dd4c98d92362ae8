package io.k0rdent.ops.deploy.observability;

import static io.k0rdent.ops.deploy.observability.PrometheusSeries.Kind.COUNTER;
import static io.k0rdent.ops.deploy.observability.PrometheusSeries.Kind.GAUGE;
import static io.k0rdent.ops.deploy.observability.PrometheusSeries.Kind.SECONDS_GAUGE;
import static io.k0rdent.ops.deploy.observability.PrometheusSeries.Kind.TIMER;

import io.k0rdent.ops.deploy.observability.PrometheusSeries.Kind;
import io.k0rdent.ops.support.telemetry.MetricNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus series of {@link MetricNames}: the kind of meter of each name, as its javadoc says, and the
 * series that kind produces. {@code up} is Prometheus's own, one per scrape target.
 */
final class MetricSeries {

    static final Map<String, Kind> KINDS = kinds();

    private MetricSeries() {
    }

    private static Map<String, Kind> kinds() {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put(MetricNames.EVENTS_CONSUMED, COUNTER);
        kinds.put(MetricNames.EVENTS_PRODUCED, COUNTER);
        kinds.put(MetricNames.EVENTS_FAILED, COUNTER);
        kinds.put(MetricNames.EVENTS_DEAD_LETTERED, COUNTER);
        kinds.put(MetricNames.STAGE_DURATION, TIMER);
        kinds.put(MetricNames.CLUSTERS_IN_FLIGHT, GAUGE);
        kinds.put(MetricNames.OLDEST_IN_FLIGHT_AGE, SECONDS_GAUGE);
        kinds.put(MetricNames.EC2_CALLS, COUNTER);
        kinds.put(MetricNames.SSH_PHASE_DURATION, TIMER);
        kinds.put(MetricNames.NOTIFICATIONS, COUNTER);
        // Reported by the Kafka client itself, as a gauge per partition.
        kinds.put(MetricNames.CONSUMER_LAG, GAUGE);
        return Map.copyOf(kinds);
    }

    /** The series of one MetricNames name. */
    static Set<String> of(String micrometerName) {
        Kind kind = KINDS.get(micrometerName);
        if (kind == null) {
            throw new IllegalArgumentException(micrometerName + " has no kind in MetricSeries; add it");
        }
        return PrometheusSeries.of(micrometerName, kind);
    }

    /** Every series a dashboard or a rule may query. */
    static Set<String> known() {
        Set<String> known = new TreeSet<>();
        MetricNames.all().forEach(name -> known.addAll(of(name)));
        known.add("up");
        return known;
    }
}
