package io.k0rdent.ops.support.telemetry;

import java.util.List;

/**
 * The Micrometer names every service registers, in one place because the Grafana dashboard and the
 * PrometheusRules in {@code deploy/} are written against them (a test there checks each name it uses is one
 * of these). Prometheus sees them with dots as underscores and the unit suffix Micrometer adds
 * ({@code _total} for counters, {@code _seconds} for timers and the age gauge).
 */
public final class MetricNames {

    /** Counter; tags {@code service}, {@code topic}, {@code type} (the event type's CloudEvents type). */
    public static final String EVENTS_CONSUMED = "k0rdent.events.consumed";
    /** Counter; tags {@code service}, {@code topic}, {@code type}. */
    public static final String EVENTS_PRODUCED = "k0rdent.events.produced";
    /**
     * Counter of records that could not be processed; tags {@code service}, {@code topic}, {@code type}
     * ({@code unknown} when it did not decode) and {@code reason} (a dead-letter reason, or {@code retry}).
     */
    public static final String EVENTS_FAILED = "k0rdent.events.failed";
    /** Counter of records sent to a dead-letter topic; tags {@code service}, {@code topic}, {@code reason}. */
    public static final String EVENTS_DEAD_LETTERED = "k0rdent.events.dead.lettered";
    /**
     * Timer with a percentile histogram: how long one stage took for one cluster; tags {@code service},
     * {@code stage} ({@code sync}, {@code provision}, {@code destroy}, {@code bootstrap}, {@code upgrade},
     * {@code notify}) and {@code outcome} ({@code success} or {@code failure}).
     */
    public static final String STAGE_DURATION = "k0rdent.stage.duration";
    /** Gauge: clusters whose last lifecycle event is not a final one (Ready, destroyed, failed, rejected). */
    public static final String CLUSTERS_IN_FLIGHT = "k0rdent.clusters.in.flight";
    /** Gauge, seconds: how long the in-flight cluster that has waited longest has gone without an event. */
    public static final String OLDEST_IN_FLIGHT_AGE = "k0rdent.clusters.in.flight.oldest.age";
    /** Counter; tags {@code action} (e.g. {@code RunInstances}) and {@code outcome} ({@code success}, {@code throttled}, {@code error}). */
    public static final String EC2_CALLS = "k0rdent.ec2.calls";
    /** Timer; tags {@code phase} (a bootstrap phase) and {@code outcome}. */
    public static final String SSH_PHASE_DURATION = "k0rdent.ssh.phase.duration";
    /** Counter; tags {@code channel} ({@code slack}, {@code email}, {@code webhook}) and {@code outcome} ({@code sent}, {@code failed}, {@code deduped}). */
    public static final String NOTIFICATIONS = "k0rdent.notifications";
    /**
     * Consumer lag as the Kafka clients report it (micronaut-kafka binds its consumers; hand-built consumers
     * are bound with Micrometer's {@code KafkaClientMetrics}); tags include {@code topic} and {@code partition}.
     */
    public static final String CONSUMER_LAG = "kafka.consumer.fetch.manager.records.lag";

    private MetricNames() {
    }

    /** Every name above. */
    public static List<String> all() {
        return List.of(EVENTS_CONSUMED, EVENTS_PRODUCED, EVENTS_FAILED, EVENTS_DEAD_LETTERED, STAGE_DURATION,
                CLUSTERS_IN_FLIGHT, OLDEST_IN_FLIGHT_AGE, EC2_CALLS, SSH_PHASE_DURATION, NOTIFICATIONS, CONSUMER_LAG);
    }
}
