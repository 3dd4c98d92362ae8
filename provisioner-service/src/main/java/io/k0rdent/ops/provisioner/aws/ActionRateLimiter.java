package io.k0rdent.ops.provisioner.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Client-side token buckets per EC2 action, sized like EC2's own (RunInstances 5 refilled 2/s, TerminateInstances
 * 100/5, other mutating actions 50/5, DescribeInstances 50/10, other Describe* 100/20). A call waits for a token
 * instead of being sent and throttled: with a thousand clusters reconciling at once the account stays under its
 * limits rather than in a storm of {@code RequestLimitExceeded} and retries. Thread-safe and fair enough: waiting
 * callers reserve tokens in arrival order.
 */
public final class ActionRateLimiter {

    /** Capacity and refill of one bucket. */
    public record Bucket(int capacity, double refillPerSecond) {

        /** This bucket's part when {@code replicas} processes call EC2 for one account and region. */
        Bucket shareOf(int replicas) {
            return new Bucket(Math.max(1, capacity / replicas), refillPerSecond / replicas);
        }
    }

    private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Bucket> overrides;
    private final int replicas;

    public ActionRateLimiter() {
        this(Map.of(), 1);
    }

    /**
     * @param replicas how many provisioner processes share the account's buckets: EC2 throttles per account and region,
     *                 not per caller, so each process takes its equal part ({@code k0rdent.provisioner.ec2-rate-share})
     */
    public ActionRateLimiter(int replicas) {
        this(Map.of(), replicas);
    }

    public ActionRateLimiter(Map<String, Bucket> overrides, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be >= 1, was " + replicas);
        }
        this.overrides = Map.copyOf(overrides);
        this.replicas = replicas;
    }

    /** EC2's bucket for an action. */
    public static Bucket ec2Bucket(String action) {
        return switch (action) {
            case "RunInstances" -> new Bucket(5, 2);
            case "TerminateInstances" -> new Bucket(100, 5);
            case "DescribeInstances" -> new Bucket(50, 10);
            default -> action.startsWith("Describe") ? new Bucket(100, 20) : new Bucket(50, 5);
        };
    }

    /** Blocks until {@code action} may be called. */
    public void acquire(String action) {
        long waitNanos = reserve(action, System.nanoTime());
        // A reservation model: the token is ours already, we only wait until its time has come.
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0) {
            LockSupport.parkNanos(waitNanos);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an EC2 " + action + " token");
            }
            waitNanos = deadline - System.nanoTime();
        }
    }

    /** Takes a token of {@code action}'s bucket at {@code nowNanos}; answers how long the caller must wait. */
    long reserve(String action, long nowNanos) {
        return limiters.computeIfAbsent(action,
                        a -> new Limiter(overrides.getOrDefault(a, ec2Bucket(a)).shareOf(replicas), nowNanos))
                .reserve(nowNanos);
    }

    private static final class Limiter {
        private final double capacity;
        private final double nanosPerToken;
        private double tokens;
        private long last;

        Limiter(Bucket bucket, long nowNanos) {
            this.capacity = bucket.capacity();
            this.nanosPerToken = TimeUnit.SECONDS.toNanos(1) / bucket.refillPerSecond();
            this.tokens = bucket.capacity();
            this.last = nowNanos;
        }

        /** Takes a token (possibly going into debt) and answers how long to wait until it is covered. */
        synchronized long reserve(long now) {
            tokens = Math.min(capacity, tokens + (now - last) / nanosPerToken);
            last = now;
            tokens -= 1;
            return tokens >= 0 ? 0 : (long) (-tokens * nanosPerToken);
        }
    }
}
