package io.k0rdent.ops.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyUpToTheLowestUnsettledRecord() {
        tracker.register(P0, 10);
        tracker.register(P0, 11);
        tracker.register(P0, 12);
        tracker.settle(P0, 11);
        tracker.settle(P0, 12);

        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));

        tracker.committed(tracker.committable());
        assertThat(tracker.committable()).isEmpty();

        tracker.settle(P0, 10);
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
    }

    @Test
    void forgetsRevokedPartitionsAndIgnoresLateSettlements() {
        tracker.register(P0, 1);
        tracker.forget(List.of(P0));
        tracker.settle(P0, 1);

        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.unsettled()).isZero();
    }
}
