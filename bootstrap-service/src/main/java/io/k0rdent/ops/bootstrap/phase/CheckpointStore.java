package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapPhase;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which phases of a cluster's current generation completed in an earlier, failed attempt, so a retry
 * resumes from the failed phase. Kept in memory: after a restart the retry simply runs every phase
 * again, which is correct because every phase is idempotent, only slower.
 */
@Singleton
public final class CheckpointStore {

    /**
     * @param generation the definition generation the phases belong to
     * @param completed  phases that completed
     * @param timings    how long each completed phase took
     * @param cordoned   instance ids of workers a rolling upgrade cordoned and has not yet made schedulable
     *                   again, so a retry finishes them even though their binary may already be replaced
     */
    public record Checkpoint(long generation, Set<BootstrapPhase> completed, Map<BootstrapPhase, Duration> timings,
                             Set<String> cordoned) {

        static Checkpoint empty(long generation) {
            return new Checkpoint(generation, EnumSet.noneOf(BootstrapPhase.class), new LinkedHashMap<>(),
                    ConcurrentHashMap.newKeySet());
        }
    }

    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    /** The checkpoint of {@code cluster} for {@code generation}; a different generation starts afresh. */
    public Checkpoint get(String cluster, long generation) {
        Checkpoint checkpoint = checkpoints.get(cluster);
        if (checkpoint == null || checkpoint.generation() != generation) {
            return Checkpoint.empty(generation);
        }
        Set<String> cordoned = ConcurrentHashMap.newKeySet();
        cordoned.addAll(checkpoint.cordoned());
        Set<BootstrapPhase> completed = EnumSet.noneOf(BootstrapPhase.class);
        completed.addAll(checkpoint.completed());
        return new Checkpoint(generation, completed, new LinkedHashMap<>(checkpoint.timings()), cordoned);
    }

    /** Remembers progress after a failure. */
    public void save(String cluster, Checkpoint checkpoint) {
        checkpoints.put(cluster, checkpoint);
    }

    /** Forgets a cluster (it is Ready, or gone). */
    public void clear(String cluster) {
        checkpoints.remove(cluster);
    }
}
