package io.k0rdent.ops.sandbox.state;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a snapshot a short while after something changed, and once more on {@link #close()}. Changes that come
 * in a burst (one RunInstances, twenty SSH commands of one install) cost one write, on a thread of its own, so
 * callers never wait for the disk; a {@code kill -9} loses at most the last {@code delay} of changes.
 *
 * @param <T> the snapshot type
 */
public final class SnapshotSaver<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSaver.class);

    private final SnapshotFile<T> file;
    private final Supplier<T> snapshot;
    private final Duration delay;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Object writing = new Object();
    /** How long the last save took; a big world (a benchmark's thousands of hosts) is saved less often. */
    private volatile long lastSaveNanos;
    private volatile boolean closed;

    /**
     * @param snapshot takes a consistent snapshot of the current state (called on the saver's thread)
     * @param delay    how long after the first change of a burst the snapshot is taken
     */
    public SnapshotSaver(SnapshotFile<T> file, Supplier<T> snapshot, Duration delay) {
        this.file = file;
        this.snapshot = snapshot;
        this.delay = delay;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "snapshot-" + file.path().getFileName());
            thread.setDaemon(true);
            return thread;
        });
        // On close, the final save is done by close() itself; a save still waiting would only repeat it.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Something changed: a save follows within {@code delay}. */
    public void changed() {
        if (!closed && pending.compareAndSet(false, true)) {
            // At most about a fifth of one thread's time goes to saving, however large the snapshot grows.
            long wait = Math.max(delay.toNanos(), 4 * lastSaveNanos);
            executor.schedule(this::scheduledSave, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void scheduledSave() {
        // Cleared before the snapshot is taken: a change during the save schedules the next one.
        pending.set(false);
        try {
            saveNow();
        } catch (RuntimeException e) {
            LOG.warn("could not save {}; the next change tries again", file.path(), e);
        }
    }

    /** Takes the snapshot and writes it, now, on the caller's thread. */
    public void saveNow() {
        synchronized (writing) {
            long start = System.nanoTime();
            file.write(snapshot.get());
            lastSaveNanos = System.nanoTime() - start;
        }
    }

    /** Stops the background saves and writes the final snapshot. */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saveNow();
    }
}
