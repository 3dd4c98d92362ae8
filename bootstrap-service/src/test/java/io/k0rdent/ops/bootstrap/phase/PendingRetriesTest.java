package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested.RetirementReason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingRetriesTest {

    private static final Instant NEXT = Instant.parse("2026-12-05T23:00:00Z");

    private static NodesRetirementRequested work(String cluster, long generation) {
        return new NodesRetirementRequested(BootstrapSandbox.header(cluster, generation, "retire"), List.of(),
                RetirementReason.SCALE_IN);
    }

    private static BootstrapFailed failed(String cluster, long generation, int attempt, Instant next) {
        return new BootstrapFailed(BootstrapSandbox.header(cluster, generation, "failed-" + attempt),
                BootstrapPhase.CONNECT, "10.0.1.10", null, null, "connection refused", true,
                new FailureRetry(attempt, next));
    }

    @Test
    void aClusterWhoseLastOutcomeIsARetryableFailureOfItsLastWorkIsPending() {
        PendingRetries history = new PendingRetries();
        NodesRetirementRequested work = work("a", 3);
        history.infrastructure(work);
        history.outcome(failed("a", 3, 1, NEXT.minusSeconds(60)));
        history.outcome(failed("a", 3, 2, NEXT));

        assertThat(history.pending()).containsOnlyKeys("a");
        assertThat(history.pending().get("a")).isEqualTo(new PendingRetries.Pending(work, 2, NEXT));
    }

    @Test
    void successSpentAttemptsNewerWorkAndDestroyedClustersLeaveNothingPending() {
        PendingRetries history = new PendingRetries();
        history.infrastructure(work("succeeded", 1));
        history.outcome(failed("succeeded", 1, 1, NEXT));
        history.outcome(new NodesDrained(BootstrapSandbox.header("succeeded", 1, "drained"), List.of("i-1")));

        history.infrastructure(work("spent", 1));
        history.outcome(failed("spent", 1, 10, null));

        history.infrastructure(work("moved-on", 1));
        history.outcome(failed("moved-on", 1, 1, NEXT));
        history.infrastructure(work("moved-on", 2));

        history.infrastructure(work("gone", 1));
        history.outcome(failed("gone", 1, 1, NEXT));
        history.infrastructure(new InfrastructureDestroyed(BootstrapSandbox.header("gone", 1, "destroyed"),
                "us-east-1", List.of()));

        // An outcome whose work is not in the partitions read (another replica's cluster) is not taken over.
        history.outcome(failed("elsewhere", 1, 1, NEXT));

        assertThat(history.pending()).isEmpty();
    }
}
