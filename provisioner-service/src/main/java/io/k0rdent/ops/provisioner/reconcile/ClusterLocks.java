package io.k0rdent.ops.provisioner.reconcile;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes work on one cluster. Kafka already orders one cluster's definitions (one partition), but definitions,
 * {@code NodesDrained} answers and the periodic drift check arrive on different threads; this keeps them from
 * reconciling the same cluster at the same time while other clusters proceed in parallel.
 */
public class ClusterLocks {

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public <T> T withLock(String cluster, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(cluster, c -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Returns once no thread works on any of {@code clusters} (work started later is not waited for). */
    public void awaitIdle(Collection<String> clusters) {
        for (String cluster : clusters) {
            withLock(cluster, () -> null);
        }
    }
}
