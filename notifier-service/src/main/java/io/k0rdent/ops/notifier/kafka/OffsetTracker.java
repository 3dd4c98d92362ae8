package io.k0rdent.ops.notifier.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed when records finish out of order (digest windows and per-destination
 * workers settle them at different times): per partition, the lowest unsettled offset, or the one after
 * the highest seen when all are settled. Committing that offset never skips an unsettled record.
 *
 * <p>Thread-safe: the consumer registers and commits, workers settle.
 */
public final class OffsetTracker {

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

    public synchronized void register(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.pending.add(offset);
        state.next = Math.max(state.next, offset + 1);
    }

    /** Marks a record settled; unknown partitions (revoked meanwhile) are ignored. */
    public synchronized void settle(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.pending.remove(offset);
        }
    }

    /** Offsets that can be committed now and were not committed yet. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        partitions.forEach((partition, state) -> {
            long candidate = state.pending.isEmpty() ? state.next : state.pending.first();
            if (candidate > state.committed) {
                result.put(partition, new OffsetAndMetadata(candidate));
            }
        });
        return result;
    }

    public synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.committed = Math.max(state.committed, offset.offset());
            }
        });
    }

    /** Forgets partitions this consumer no longer owns. */
    public synchronized void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    /** Records registered but not settled yet. */
    public synchronized int unsettled() {
        return partitions.values().stream().mapToInt(s -> s.pending.size()).sum();
    }

    private static final class PartitionState {
        private final TreeSet<Long> pending = new TreeSet<>();
        private long next = -1;
        private long committed = -1;
    }
}
