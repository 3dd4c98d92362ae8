package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.support.Definitions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfrastructureHistoryTest {

    private static final Instant NEXT = Instant.parse("2026-12-05T23:00:00Z");

    private static ProvisioningFailed failed(String cluster, long generation, int attempt, Instant next) {
        return new ProvisioningFailed(Definitions.header(cluster, generation), FailureReason.INSUFFICIENT_CAPACITY,
                "InsufficientInstanceCapacity", "RunInstances worker/0", "no capacity", true)
                .withRetry(new FailureRetry(attempt, next));
    }

    @Test
    void aFailureWithANextTimeIsAWaitingRetryOfItsGenerationOnly() {
        InfrastructureHistory history = new InfrastructureHistory();
        history.add(failed("a", 2, 1, NEXT.minusSeconds(30)));
        history.add(failed("a", 2, 2, NEXT));
        history.add(failed("spent", 1, 10, null));

        assertThat(history.waitingRetry("a", 2)).contains(new FailureRetry(2, NEXT));
        assertThat(history.waitingRetry("a", 3)).as("a newer generation is not this failure's").isEmpty();
        assertThat(history.waitingRetry("spent", 1)).isEmpty();
        assertThat(history.waitingRetry("unknown", 1)).isEmpty();
    }

    @Test
    void anOutcomeAfterTheFailureEndsItsRetryAndDestructionsCountByGeneration() {
        InfrastructureHistory history = new InfrastructureHistory();
        history.add(failed("gone", 3, 1, NEXT));
        history.add(new InfrastructureDestroyed(Definitions.header("gone", 3), "us-east-1", List.of()));

        assertThat(history.waitingRetry("gone", 3)).isEmpty();
        assertThat(history.destroyed("gone", 3)).isTrue();
        assertThat(history.destroyed("gone", 4)).as("a later deletion is still owed").isFalse();
    }
}
