package io.k0rdent.ops.notifier.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.routing.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final DigestWindow window = new DigestWindow(Duration.ofSeconds(5), 1000);

    @Test
    void twoHundredEventsOfOneCommitBecomeOneBatchPerDestination() {
        for (int i = 0; i < 200; i++) {
            ClusterEvent event = TestEvents.provisioned(TestEvents.header("c-" + i));
            window.add(pending(event, "slack"), NOW.plusMillis(i));
            window.add(pending(event, "mail"), NOW.plusMillis(i));
        }

        assertThat(window.due(NOW.plusSeconds(4))).isEmpty();
        List<DigestWindow.Batch> due = window.due(NOW.plusSeconds(5));

        assertThat(due).hasSize(2);
        assertThat(due).extracting(DigestWindow.Batch::destination).containsExactly("slack", "mail");
        assertThat(due).allSatisfy(b -> assertThat(b.items()).hasSize(200));
        assertThat(window.pending()).isZero();
    }

    @Test
    void separatesEventTypes() {
        window.add(pending(TestEvents.provisioned(TestEvents.header("a")), "slack"), NOW);
        window.add(pending(TestEvents.ready("a"), "slack"), NOW);

        assertThat(window.due(NOW.plusSeconds(5))).hasSize(2);
    }

    @Test
    void twoChangesOfOneClusterAtOneCommitAreNeverMergedIntoOneMessage() {
        // A force-push rollback re-creates cluster c at the commit of its first creation: same commit, cluster and
        // type, another generation and event id. A backlog can bring both into one window; each is its own change.
        ClusterEvent first = TestEvents.ready(TestEvents.header("c"));
        ClusterEvent rollback = TestEvents.ready(TestEvents.header("c"));
        ClusterEvent other = TestEvents.ready(TestEvents.header("d"));
        window.add(pending(first, "slack"), NOW);
        window.add(pending(other, "slack"), NOW);
        window.add(pending(rollback, "slack"), NOW.plusSeconds(1));

        List<DigestWindow.Batch> due = window.due(NOW.plusSeconds(6));

        assertThat(due).hasSize(2);
        assertThat(due.get(0).items()).extracting(p -> p.notice().event()).containsExactly(first, other);
        assertThat(due.get(1).items()).extracting(p -> p.notice().event()).containsExactly(rollback);
        assertThat(window.pending()).isZero();
    }

    @Test
    void aGroupStaysOpenForItsOwnWindowWhenTheSameClusterStartsAnother() {
        window.add(pending(TestEvents.ready(TestEvents.header("c")), "slack"), NOW);
        window.add(pending(TestEvents.ready(TestEvents.header("c")), "slack"), NOW.plusSeconds(3));

        assertThat(window.due(NOW.plusSeconds(5))).singleElement();
        assertThat(window.pending()).isEqualTo(1);
        assertThat(window.due(NOW.plusSeconds(8))).singleElement();
    }

    @Test
    void aFullGroupIsDueAtOnce() {
        DigestWindow small = new DigestWindow(Duration.ofMinutes(1), 3);
        for (int i = 0; i < 3; i++) {
            small.add(pending(TestEvents.ready("c" + i), "slack"), NOW);
        }

        assertThat(small.due(NOW)).singleElement().satisfies(b -> assertThat(b.items()).hasSize(3));
    }

    @Test
    void zeroWindowSendsAtTheNextTick() {
        DigestWindow none = new DigestWindow(Duration.ZERO, 10);
        none.add(pending(TestEvents.ready("a"), "slack"), NOW);

        assertThat(none.due(NOW)).hasSize(1);
    }

    static PendingNotification pending(ClusterEvent event, String destination) {
        return new PendingNotification(new Notice(event, null), new Route(destination, null, "test"), null, () -> { });
    }
}
