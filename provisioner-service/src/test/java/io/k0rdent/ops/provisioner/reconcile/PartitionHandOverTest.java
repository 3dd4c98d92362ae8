package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.provisioner.support.Definitions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartitionHandOverTest {

    private final ClusterOwnership ownership = new ClusterOwnership();
    private final ClusterLocks locks = new ClusterLocks();
    private final KnownClusters known = new KnownClusters();
    private final FailureRetries retries = new FailureRetries(
            new io.k0rdent.ops.support.retry.FailureRetrySettings(true, java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofSeconds(1), 5, java.time.Duration.ofSeconds(1)), java.time.Clock.systemUTC());
    private final PartitionHandOver handOver = new PartitionHandOver(ownership, locks, known, retries);

    private String clusterOn(int partition) {
        String name = IntStream.range(0, 1000).mapToObj(i -> "c-" + i)
                .filter(c -> ClusterOwnership.partitionOf(c, 3) == partition).findFirst().orElseThrow();
        known.remember(Definitions.created(Definitions.cluster(name, true, 1), 1));
        return name;
    }

    @Test
    void aRevocationReturnsOnlyOnceWorkUnderWayOnItsClustersHasEnded() throws Exception {
        ownership.partitionCount(3);
        ownership.assigned(List.of(0, 1, 2));
        String moving = clusterOn(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> retry = workUnderWay(moving, finish);

        CompletableFuture<Void> revocation = CompletableFuture.runAsync(() -> handOver.revoked(List.of(1)));
        // Marked as not owned at once, so nothing new starts on it here...
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !ownership.owns(moving));
        // ...but the rebalance is held while the retry under way runs.
        assertThat(revocation).isNotDone();

        finish.countDown();
        retry.get(10, TimeUnit.SECONDS);
        revocation.get(10, TimeUnit.SECONDS);
    }

    @Test
    void workOnClustersOfOtherPartitionsDoesNotHoldARevocation() throws Exception {
        ownership.partitionCount(3);
        ownership.assigned(List.of(0, 1, 2));
        String staying = clusterOn(2);
        clusterOn(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> drift = workUnderWay(staying, finish);

        handOver.revoked(List.of(1));

        assertThat(ownership.owns(staying)).isTrue();
        finish.countDown();
        drift.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theRetriesOfClustersGivenUpAreTheNewOwnersAndTheOthersStay() {
        ownership.partitionCount(3);
        ownership.assigned(List.of(0, 1, 2));
        String moving = clusterOn(1);
        String staying = clusterOn(2);
        retries.restore(moving, 1, java.time.Instant.EPOCH);
        retries.restore(staying, 1, java.time.Instant.EPOCH);

        handOver.revoked(List.of(1));

        assertThat(retries.due()).containsOnlyKeys(staying);
    }

    /** Another thread holds {@code cluster}'s lock, as a retry or drift repair does, until {@code finish}. */
    private CompletableFuture<Void> workUnderWay(String cluster, CountDownLatch finish) throws InterruptedException {
        CountDownLatch working = new CountDownLatch(1);
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> locks.withLock(cluster, () -> {
            working.countDown();
            await(finish);
            return null;
        }));
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        return work;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
