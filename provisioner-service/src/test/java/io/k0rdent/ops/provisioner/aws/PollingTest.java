package io.k0rdent.ops.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting for AWS's background work is bounded, and running out is a retryable failure naming what it waited for. */
class PollingTest {


    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();

        Polling.until(Duration.ofMillis(1), 10, "Wait x", "still x", () -> polls.incrementAndGet() == 3);

        assertThat(polls).hasValue(3);
    }

    @Test
    void givesUpAfterTheConfiguredPollsWithARetryableTimeout() {
        AtomicInteger polls = new AtomicInteger();

        assertThatThrownBy(() -> Polling.until(Duration.ofMillis(1), 4, "Wait NAT gateways deleted nat-1", "still deleting",
                () -> polls.incrementAndGet() < 0))
                .isInstanceOfSatisfying(Ec2Failure.class, e -> {
                    assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.resource()).isEqualTo("Wait NAT gateways deleted nat-1");
                    assertThat(e.getMessage()).contains("still deleting after 4 polls");
                });
        assertThat(polls).hasValue(4);
    }
}
