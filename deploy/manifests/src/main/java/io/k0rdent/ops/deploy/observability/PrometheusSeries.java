package io.k0rdent.ops.deploy.observability;

import java.util.Set;

/**
 * The series names Prometheus sees for a Micrometer meter: dots become underscores, and Micrometer's
 * Prometheus registry appends the base unit and {@code _total} the way it does for each kind of meter.
 */
public final class PrometheusSeries {

    /** What kind of Micrometer meter a name is registered as, which decides its suffixes. */
    public enum Kind {
        /** {@code _total}. */
        COUNTER,
        /** {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max}, and {@code _seconds_bucket} with a histogram. */
        TIMER,
        /** The name itself. */
        GAUGE,
        /** A gauge with base unit seconds: {@code _seconds}. */
        SECONDS_GAUGE
    }

    private PrometheusSeries() {
    }

    public static Set<String> of(String micrometerName, Kind kind) {
        String base = micrometerName.replace('.', '_');
        return switch (kind) {
            case COUNTER -> Set.of(base + "_total");
            case TIMER -> Set.of(base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max",
                    base + "_seconds_bucket");
            case GAUGE -> Set.of(base);
            case SECONDS_GAUGE -> Set.of(base + "_seconds");
        };
    }
}
