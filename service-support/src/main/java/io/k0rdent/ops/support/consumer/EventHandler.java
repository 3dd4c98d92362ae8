package io.k0rdent.ops.support.consumer;

import io.k0rdent.ops.contracts.event.ClusterEvent;

/**
 * A service's work for one decoded event. It returns once the effect is done (its events acknowledged, or the event
 * handed on), because the offset is committed after. It throws {@link UnprocessableEventException} for an event that
 * can never be acted on, and anything else for a failure the {@link OnFailure} policy decides about.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(ClusterEvent event);
}
