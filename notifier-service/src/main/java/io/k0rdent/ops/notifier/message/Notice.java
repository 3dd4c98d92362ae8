package io.k0rdent.ops.notifier.message;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * An event worth telling, with what the notifier knows beyond the event itself.
 *
 * @param event    the event
 * @param recovery      the failure this event ends, or {@code null}
 * @param flowStartedAt when the change this event belongs to was accepted or rejected (the definition event of
 *                      the same generation), or {@code null} when the notifier did not see it
 */
public record Notice(ClusterEvent event, Recovery recovery, Instant flowStartedAt) {

    public Notice {
        Objects.requireNonNull(event, "event");
    }

    public Notice(ClusterEvent event, Recovery recovery) {
        this(event, recovery, null);
    }
}
