package io.k0rdent.ops.provisioner.reconcile;

import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up the clusters of definitions partitions a rebalance takes from this replica. The records of a partition are
 * fenced by Kafka (they are consumed on the thread whose rebalance this is), but the automatic retries and drift
 * repairs run on the scheduler's threads, which no rebalance stops. So a revocation first marks the clusters as not
 * owned (no new work on them starts here; the jobs check under the cluster's lock), then waits for the work under way
 * on them to end and publish its outcome, and drops their pending automatic retries. The group hands the partitions
 * on only after this returns, so the replica taking a cluster over reads that outcome when it catches up, instead of
 * redoing the same work at the same time (finding 10 of docs/reliability.md: two replicas retrying one cluster
 * launched its nodes twice).
 */
public class PartitionHandOver {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionHandOver.class);

    private final ClusterOwnership ownership;
    private final ClusterLocks locks;
    private final KnownClusters known;
    private final FailureRetries retries;

    public PartitionHandOver(ClusterOwnership ownership, ClusterLocks locks, KnownClusters known,
                             FailureRetries retries) {
        this.ownership = ownership;
        this.locks = locks;
        this.known = known;
        this.retries = retries;
    }

    public void revoked(Collection<Integer> definitionsPartitions) {
        if (definitionsPartitions.isEmpty()) {
            return;
        }
        ownership.revoked(definitionsPartitions);
        List<String> clusters = Stream.concat(known.live().stream(), known.deleted().stream())
                .map(event -> event.header().clusterName())
                .filter(cluster -> ownership.inPartitions(cluster, definitionsPartitions))
                .distinct().toList();
        long started = System.nanoTime();
        locks.awaitIdle(clusters);
        // Their retries are the new owner's now: it restores them from the infrastructure topic when it catches up.
        clusters.forEach(retries::reset);
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        if (waitedMillis >= 100) {
            LOG.info("Partitions {} handed over after {} ms of work under way on their clusters ended",
                    definitionsPartitions, waitedMillis);
        }
    }
}
