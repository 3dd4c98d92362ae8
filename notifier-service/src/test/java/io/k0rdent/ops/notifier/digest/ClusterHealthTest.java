package io.k0rdent.ops.notifier.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.routing.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterHealthTest {

    private static final Instant T0 = TestEvents.T0;
    private final ClusterHealth health = new ClusterHealth(Duration.ofMinutes(15));

    @Test
    void aRepeatedFailureWithinTheCooldownIsSuppressed() {
        assertThat(health.assess(TestEvents.bootstrapFailed(header("a", T0))).suppressed()).isFalse();
        assertThat(health.assess(TestEvents.bootstrapFailed(header("a", T0.plusSeconds(60)))).suppressed()).isTrue();
        assertThat(health.assess(TestEvents.bootstrapFailed(header("a", T0.plus(Duration.ofMinutes(16)))))
                .suppressed()).isFalse();
    }

    @Test
    void otherClustersAndOtherFailuresAreNotSuppressed() {
        health.assess(TestEvents.bootstrapFailed(header("a", T0)));

        assertThat(health.assess(TestEvents.bootstrapFailed(header("b", T0.plusSeconds(1)))).suppressed()).isFalse();
        assertThat(health.assess(TestEvents.provisioningFailed(header("a", T0.plusSeconds(1)))).suppressed()).isFalse();
    }

    @Test
    void theSameEventAgainIsNotARepeat() {
        EventHeader header = header("a", T0);
        health.assess(TestEvents.bootstrapFailed(header));

        assertThat(health.assess(TestEvents.bootstrapFailed(header)).suppressed()).isFalse();
    }

    @Test
    void aSuccessAfterAFailureIsARecoveryAndEndsTheCooldown() {
        health.assess(TestEvents.bootstrapFailed(header("a", T0)));

        ClusterHealth.Assessment ready = health.assess(TestEvents.ready(header("a", T0.plusSeconds(120))));

        assertThat(ready.recovery()).isNotNull();
        assertThat(ready.recovery().failedStage()).isEqualTo(Stage.BOOTSTRAP);
        assertThat(ready.recovery().phrase()).isEqualTo("after failing at bootstrap (JOIN_WORKERS)");
        assertThat(health.assess(TestEvents.ready(header("a", T0.plusSeconds(180)))).recovery()).isNull();
        assertThat(health.assess(TestEvents.bootstrapFailed(header("a", T0.plusSeconds(240)))).suppressed()).isFalse();
    }

    @Test
    void aSuccessOfAnEarlierStageIsNoRecoveryFromALaterFailure() {
        health.assess(TestEvents.bootstrapFailed(header("a", T0)));

        assertThat(health.assess(TestEvents.created(header("a", T0.plusSeconds(5)))).recovery()).isNull();
        assertThat(health.assess(TestEvents.ready(header("a", T0.plusSeconds(9)))).recovery()).isNotNull();
    }

    @Test
    void provisioningFailureIsEndedByReady() {
        health.assess(TestEvents.provisioningFailed(header("a", T0)));

        assertThat(health.assess(TestEvents.ready(header("a", T0.plusSeconds(9)))).recovery().phrase())
                .isEqualTo("after failing at provisioning (INSUFFICIENT_CAPACITY)");
    }

    @Test
    void stateRebuiltByReplayGivesTheSameDecisions() {
        EventHeader first = header("a", T0);
        health.replay("a", EventType.BOOTSTRAP_FAILED, "JOIN_WORKERS", first.eventId(), T0, 3);

        assertThat(health.assess(TestEvents.bootstrapFailed(header("a", T0.plusSeconds(30)))).suppressed()).isTrue();
        assertThat(health.assess(TestEvents.ready(header("a", T0.plusSeconds(60)))).recovery()).isNotNull();
    }

    @Test
    void remembersWhenTheFlowOfAGenerationStarted() {
        health.assess(TestEvents.created(header("a", T0)));

        assertThat(health.assess(TestEvents.ready(header("a", T0.plusSeconds(300)))).flowStartedAt()).isEqualTo(T0);
        assertThat(health.assess(TestEvents.ready(header("b", T0.plusSeconds(300)))).flowStartedAt()).isNull();
    }

    private static EventHeader header(String cluster, Instant at) {
        return TestEvents.header(cluster, Map.of(), TestEvents.ADA, at);
    }
}
