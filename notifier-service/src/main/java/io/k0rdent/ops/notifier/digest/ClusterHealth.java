package io.k0rdent.ops.notifier.digest;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.notifier.message.Recovery;
import io.k0rdent.ops.notifier.routing.EventClass;
import io.k0rdent.ops.notifier.routing.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Per-cluster failure memory: suppresses a failure that repeats within a cooldown, and recognises the
 * success that ends a failure ("ready again after failing at bootstrap").
 *
 * <p>Times are the events' own {@code occurredAt}, not the wall clock, so replaying the same events (after
 * a restart, from the deliveries topic) reaches the same decisions. A success at a stage ends a failure at
 * that stage or an earlier one: a cluster that is ready again has also been provisioned again.
 */
public final class ClusterHealth {

    private final Duration cooldown;
    private final Map<String, ClusterState> clusters = new HashMap<>();

    public ClusterHealth(Duration cooldown) {
        this.cooldown = cooldown;
    }

    /**
     * Updates the cluster's state with {@code event} and says how to tell it.
     *
     * @return whether to suppress it, and the failure it ends, if any
     */
    public synchronized Assessment assess(ClusterEvent event) {
        return observe(event.header().clusterName(), event.type(), failureDetail(event), event.header().eventId(),
                event.header().occurredAt(), event.header().generation());
    }

    /**
     * Replays an event that was already told (read back from the deliveries topic on start). Replaying
     * an event twice changes nothing.
     */
    public synchronized void replay(String cluster, EventType type, String detail, UUID eventId, Instant at,
                                    long generation) {
        observe(cluster, type, detail, eventId, at, generation);
    }

    private Assessment observe(String cluster, EventType type, String detail, UUID eventId, Instant at,
                               long generation) {
        EventClass eventClass = EventClass.of(type);
        ClusterState state = clusters.computeIfAbsent(cluster, c -> new ClusterState());
        if (eventClass.stage() == Stage.VALIDATION && generation >= state.flowGeneration) {
            // The definition event starts the flow of its generation; later events measure their duration from it.
            state.flowGeneration = generation;
            state.flowStartedAt = at;
        }
        Instant flowStartedAt = generation == state.flowGeneration ? state.flowStartedAt : null;
        Assessment assessment = decide(eventClass, state, type, detail, eventId, at);
        return new Assessment(assessment.suppressed(), assessment.recovery(), flowStartedAt);
    }

    private Assessment decide(EventClass eventClass, ClusterState state, EventType type, String detail, UUID eventId,
                              Instant at) {
        switch (eventClass.outcome()) {
            case FAILURE -> {
                state.lastFailure = new Failure(eventClass.stage(), detail, at);
                String key = type.name() + "/" + detail;
                Told told = state.toldFailures.get(key);
                boolean sameEvent = told != null && told.eventId.equals(eventId);
                if (told != null && !sameEvent && !at.isBefore(told.at) && at.isBefore(told.at.plus(cooldown))) {
                    return new Assessment(true, null, null);
                }
                if (!sameEvent) {
                    state.toldFailures.put(key, new Told(eventId, at));
                }
                return Assessment.NOTIFY;
            }
            case SUCCESS -> {
                Failure failure = state.lastFailure;
                if (failure != null && eventClass.stage().ordinal() >= failure.stage.ordinal()
                        && !at.isBefore(failure.at)) {
                    state.lastFailure = null;
                    state.toldFailures.clear();
                    return new Assessment(false, new Recovery(failure.stage, failure.detail, failure.at), null);
                }
                return Assessment.NOTIFY;
            }
            default -> {
                return Assessment.NOTIFY;
            }
        }
    }

    /** What distinguishes one failure from another of the same type: the phase or reason; {@code null} otherwise. */
    public static String failureDetail(ClusterEvent event) {
        if (event instanceof BootstrapFailed failed && failed.phase() != null) {
            return failed.phase().name();
        }
        if (event instanceof ProvisioningFailed failed && failed.reason() != null) {
            return failed.reason().name();
        }
        return null;
    }

    /**
     * @param suppressed    a repeat within the cooldown: tell nobody
     * @param recovery      the failure this success ends, or {@code null}
     * @param flowStartedAt when the definition event of this generation happened, or {@code null} if not seen
     */
    public record Assessment(boolean suppressed, Recovery recovery, Instant flowStartedAt) {
        static final Assessment NOTIFY = new Assessment(false, null, null);
    }

    private record Failure(Stage stage, String detail, Instant at) {
    }

    private record Told(UUID eventId, Instant at) {
    }

    private static final class ClusterState {
        private long flowGeneration = Long.MIN_VALUE;
        private Instant flowStartedAt;
        private Failure lastFailure;
        private final Map<String, Told> toldFailures = new HashMap<>();
    }
}
