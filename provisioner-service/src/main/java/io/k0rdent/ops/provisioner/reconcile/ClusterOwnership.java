package io.k0rdent.ops.provisioner.reconcile;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * Which clusters this replica is responsible for outside the records it consumes: the drift pass and the automatic
 * retries. A cluster belongs to the replica that owns its partition of the definitions topic, where the gitwatcher's
 * producer puts it by key with Kafka's default partitioner ({@code murmur2(key) mod partitions}). Without this, every
 * replica drift-checked and retried every known cluster, so two replicas could repair the same drift at once.
 *
 * <p>A process without listeners (the benchmark, tests of the reconcilers) owns every cluster: the behaviour of one
 * replica. A process with listeners owns nothing until its consumers are assigned partitions
 * ({@link #awaitAssignments}), then exactly those.
 */
public class ClusterOwnership {

    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean tracking;
    private volatile int partitions;

    /** The definitions topic's partition count, read at start. */
    public void partitionCount(int count) {
        this.partitions = count;
    }

    /** This process has consumers: it owns what they are assigned, and nothing before their first assignment. */
    public void awaitAssignments() {
        tracking = true;
    }

    /** Partitions of the definitions topic assigned to one of this process's consumers. */
    public void assigned(Collection<Integer> definitionsPartitions) {
        assigned.addAll(definitionsPartitions);
        tracking = true;
    }

    /** Partitions of the definitions topic that moved away from one of this process's consumers. */
    public void revoked(Collection<Integer> definitionsPartitions) {
        assigned.removeAll(definitionsPartitions);
        tracking = true;
    }

    /** The definitions partitions this replica holds now; empty until a rebalance has reported an assignment. */
    public Set<Integer> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    public boolean owns(String cluster) {
        int count = partitions;
        if (!tracking || count <= 0) {
            return true;
        }
        return assigned.contains(partitionOf(cluster, count));
    }

    /** Whether {@code cluster}'s records go to one of {@code definitionsPartitions} (false: count unknown). */
    public boolean inPartitions(String cluster, Collection<Integer> definitionsPartitions) {
        int count = partitions;
        return count > 0 && definitionsPartitions.contains(partitionOf(cluster, count));
    }

    /** The partition Kafka's default partitioner gives a record keyed {@code cluster}. */
    public static int partitionOf(String cluster, int count) {
        return Utils.toPositive(Utils.murmur2(cluster.getBytes(StandardCharsets.UTF_8))) % count;
    }
}
