package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.EventHeader;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link PhaseFailure} into the {@link BootstrapFailed} event that reports it, and logs it once. */
final class FailureReports {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final Clock clock;

    FailureReports(Clock clock) {
        this.clock = clock;
    }

    BootstrapFailed failed(EventHeader cause, PhaseFailure failure) {
        LOG.warn("cluster {}: {} failed on {}: {}", cause.clusterName(), failure.phase(),
                failure.host() == null ? "the cluster" : failure.host(), failure.getMessage());
        return new BootstrapFailed(cause.causing("bootstrap/failed/" + failure.phase(), clock.instant()), failure.phase(),
                failure.host(), failure.command(), failure.stderrTail(), failure.getMessage(), failure.retryable());
    }
}
