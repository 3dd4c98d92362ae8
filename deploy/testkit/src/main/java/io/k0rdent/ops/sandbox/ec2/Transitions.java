package io.k0rdent.ops.sandbox.ec2;

import java.time.Duration;
import java.util.Objects;

/**
 * When an instance leaves a transient state (pending → running, shutting-down → terminated): after it was seen by
 * {@code describeCalls} DescribeInstances calls, or after {@code after} has passed, whichever comes first.
 *
 * @param describeCalls how many DescribeInstances answers show the transient state; 0 means the first one already
 *                      shows the final state
 * @param after         wall-clock duration after which the state changes regardless of calls; {@code null}: never
 */
public record Transitions(int describeCalls, Duration after) {

    public Transitions {
        if (describeCalls < 0) {
            throw new IllegalArgumentException("describeCalls >= 0");
        }
    }

    /** Tests: the first DescribeInstances shows the transient state, the second the final one (waiters poll twice). */
    public static Transitions fast() {
        return new Transitions(1, null);
    }

    /** Like AWS, roughly: about 20 s to running or terminated, however often one asks. */
    public static Transitions realistic() {
        return new Transitions(Integer.MAX_VALUE, Duration.ofSeconds(20));
    }

    /** A time-based transition only. */
    public static Transitions after(Duration after) {
        return new Transitions(Integer.MAX_VALUE, Objects.requireNonNull(after));
    }

    /**
     * Whether a resource that entered its transient state at {@code since}, and has been shown in it by
     * {@code observations} describe answers so far, leaves it now.
     */
    boolean due(int observations, java.time.Instant since, java.time.Instant now) {
        return observations >= describeCalls || elapsed(since, now);
    }

    /** Whether the time-based transition is due, whatever the calls (dependency checks see it too). */
    boolean elapsed(java.time.Instant since, java.time.Instant now) {
        return after != null && Duration.between(since, now).compareTo(after) >= 0;
    }
}
