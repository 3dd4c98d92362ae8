package io.k0rdent.ops.contracts.event;

import java.time.Duration;

/** How long one bootstrap phase took. */
public record PhaseTiming(BootstrapPhase phase, Duration duration) {
}
