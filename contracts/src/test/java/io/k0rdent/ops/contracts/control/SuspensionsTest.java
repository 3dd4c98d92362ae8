package io.k0rdent.ops.contracts.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ClusterResumed;
import io.k0rdent.ops.contracts.event.ClusterSuspended;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.ReconcileRequested;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SuspensionsTest {

    private static EventHeader header(String cluster, String who) {
        return new EventHeader(UUID.randomUUID(), cluster, 1, null, null, Instant.parse("2026-12-05T10:00:00Z"),
                Map.of(), new Initiator(who, null));
    }

    @Test
    void suspendThenResume() {
        Suspensions s = new Suspensions();
        assertThat(s.isSuspended("a")).isFalse();
        s.apply(new ClusterSuspended(header("a", "ada"), "hands on"), 0);
        assertThat(s.isSuspended("a")).isTrue();
        assertThat(s.isSuspended("b")).isFalse();
        assertThat(s.suspension("a")).get().extracting(ClusterSuspended::reason).isEqualTo("hands on");
        s.apply(new ReconcileRequested(header("a", "ada"), null), 1);
        assertThat(s.isSuspended("a")).as("a reconcile request does not resume").isTrue();
        s.apply(new ClusterResumed(header("a", "bob"), null), 2);
        assertThat(s.isSuspended("a")).isFalse();
    }

    @Test
    void aRecordAppliedAgainOrLateChangesNothing() {
        // The group listener and the all-partitions reader apply the same records in no fixed order between them.
        Suspensions s = new Suspensions();
        ClusterSuspended suspended = new ClusterSuspended(header("a", "ada"), null);
        ClusterResumed resumed = new ClusterResumed(header("a", "bob"), null);
        assertThat(s.apply(suspended, 7)).isTrue();
        assertThat(s.apply(resumed, 8)).isTrue();
        assertThat(s.apply(suspended, 7)).isFalse();
        assertThat(s.isSuspended("a")).isFalse();
    }

    @Test
    void aSecondSuspendKeepsTheFirstOnesAuthorAndTime() {
        Suspensions s = new Suspensions();
        s.apply(new ClusterSuspended(header("a", "ada"), "first"), 0);
        s.apply(new ClusterSuspended(header("a", "bob"), "second"), 1);
        assertThat(s.suspension("a")).get().satisfies(x -> {
            assertThat(x.header().initiator().name()).isEqualTo("ada");
            assertThat(x.reason()).isEqualTo("first");
        });
    }
}
