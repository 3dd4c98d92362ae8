package io.k0rdent.ops.sandbox.hosts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The simulated hosts' timers, on one daemon thread: an sshd that starts listening some time after its host was
 * added (boot, cloud-init), and a k0s that keeps trying to join its cluster.
 */
final class HostTimers implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "simulated-hosts-boot");
        thread.setDaemon(true);
        return thread;
    });

    /** Runs {@code action} once, {@code delay} from now. */
    void after(Duration delay, Runnable action) {
        timer.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Tries {@code attempt} every half second until it answers true or {@code limit} has passed. */
    void retry(BooleanSupplier attempt, Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        task.set(timer.scheduleWithFixedDelay(() -> {
            if (attempt.getAsBoolean() || System.nanoTime() > until) {
                ScheduledFuture<?> self = task.get();
                if (self != null) {
                    self.cancel(false);
                }
            }
        }, 500, 500, TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
