package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.gitwatcher.WatchKey;
import java.util.List;

/**
 * Everything one processed commit produces, to be written in one Kafka transaction: the events, the
 * changes to the accepted-definition records, and the new watermark.
 *
 * @param key               the branch
 * @param commit            the new watermark
 * @param highestGeneration the highest generation given out so far on the branch
 * @param events            the events, in the order to publish them
 * @param stateChanges      accepted-cluster records to write or tombstone
 */
public record ChangePlan(WatchKey key, String commit, long highestGeneration,
                         List<ClusterEvent> events, List<StateChange> stateChanges) {

    public ChangePlan {
        events = List.copyOf(events);
        stateChanges = List.copyOf(stateChanges);
    }

    /**
     * One change of an accepted-cluster record: exactly one of the two is set.
     *
     * @param upsert      the cluster's new record
     * @param removedName the name of a cluster whose record is tombstoned
     */
    public record StateChange(AcceptedCluster upsert, String removedName) {

        public static StateChange put(AcceptedCluster cluster) {
            return new StateChange(cluster, null);
        }

        public static StateChange remove(String name) {
            return new StateChange(null, name);
        }

        public String name() {
            return upsert != null ? upsert.name() : removedName;
        }
    }
}
