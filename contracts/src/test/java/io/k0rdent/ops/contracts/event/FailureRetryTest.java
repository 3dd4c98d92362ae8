package io.k0rdent.ops.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FailureRetryTest {

    private final EventHeader first = new EventHeader(UUID.fromString("7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"), "dev",
            3, "9fceb02d0ae598e95dc970b74767f19372d61af8", UUID.fromString("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"),
            Instant.parse("2026-12-05T09:30:00Z"), Map.of("team", "platform"), null);

    @Test
    void theFirstFailureKeepsItsIdAndEachLaterOneInTheRowIsAFactOfItsOwn() {
        BootstrapFailed failed = new BootstrapFailed(first, BootstrapPhase.CONNECT, "10.0.1.10", null, null, "refused",
                true);
        Instant next = Instant.parse("2026-12-05T09:31:00Z");

        BootstrapFailed one = failed.withRetry(new FailureRetry(1, next));
        BootstrapFailed two = failed.withRetry(new FailureRetry(2, next));
        BootstrapFailed spent = failed.withRetry(new FailureRetry(10, null));

        assertThat(one.header()).isEqualTo(first);
        assertThat(java.util.List.of(one.header().eventId(), two.header().eventId(), spent.header().eventId()))
                .doesNotHaveDuplicates();
        // Reported again after a crash, a failure keeps its id.
        assertThat(failed.withRetry(new FailureRetry(2, next)).header().eventId()).isEqualTo(two.header().eventId());
        assertThat(two.header()).usingRecursiveComparison().ignoringFields("eventId").isEqualTo(first);
    }

    @Test
    void provisioningFailuresFollowTheSameRule() {
        ProvisioningFailed failed = new ProvisioningFailed(first, ProvisioningFailed.FailureReason.values()[0], "Throttling",
                "vpc", "slow down", true);
        assertThat(failed.withRetry(new FailureRetry(1, null)).header()).isEqualTo(first);
        assertThat(failed.withRetry(new FailureRetry(3, null)).header().eventId()).isNotEqualTo(first.eventId())
                .isEqualTo(new BootstrapFailed(first, BootstrapPhase.CONNECT, null, null, null, "x", true)
                        .withRetry(new FailureRetry(3, null)).header().eventId());
    }
}
