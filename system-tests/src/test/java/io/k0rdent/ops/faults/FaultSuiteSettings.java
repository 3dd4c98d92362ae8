package io.k0rdent.ops.faults;

import java.time.Duration;

/**
 * How big a fault run is. The CI defaults come from the module's pom ({@code faults.clusters}, {@code faults.kills},
 * {@code faults.seed}); {@code -Pfaults-long} raises them.
 *
 * @param clusters     cluster definitions in the workload (each is created, scaled, upgraded; every second deleted)
 * @param kills        kill -9 of services in total, random moments and crash points together (at least 8: one random
 *                     kill of each service plus the four dangerous moments)
 * @param replicas     JVMs each of the provisioner, bootstrap service and notifier ({@code faults.replicas}, 2 at CI
 *                     size); a random kill hits one of them, a whole-service kill all of them
 * @param seed         the seed of every random choice: schedule, delays, EC2 fault draws
 * @param phaseTimeout how long one phase may take to converge before the run fails
 */
record FaultSuiteSettings(int clusters, int kills, long seed, Duration phaseTimeout, int replicas) {

    static final int MINIMUM_KILLS = 8;

    FaultSuiteSettings {
        if (clusters < 2) {
            throw new IllegalArgumentException("faults.clusters must be at least 2 (one kept, one deleted)");
        }
        if (clusters > 240) {
            throw new IllegalArgumentException("faults.clusters must be at most 240 (one 10.x.0.0/16 each)");
        }
        kills = Math.max(kills, MINIMUM_KILLS);
        if (replicas < 1) {
            throw new IllegalArgumentException("faults.replicas must be at least 1");
        }
    }

    static FaultSuiteSettings fromSystemProperties() {
        int clusters = Integer.getInteger("faults.clusters", 12);
        return new FaultSuiteSettings(clusters, Integer.getInteger("faults.kills", MINIMUM_KILLS),
                Long.getLong("faults.seed", 20261125L),
                // A phase of 200 clusters on 2 cores takes minutes; scale the patience with the size.
                Duration.ofMinutes(Math.max(6, 4 + clusters / 10)), Integer.getInteger("faults.replicas", 2));
    }
}
