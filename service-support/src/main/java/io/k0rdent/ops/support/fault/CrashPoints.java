package io.k0rdent.ops.support.fault;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For fault testing only, never armed in production: the one crash point a process may have armed, configured the
 * same way in every service ({@value #PROPERTY} names a {@link CrashPoint}, {@value #CRASH_AFTER_PROPERTY} the pass,
 * 1 by default). The {@code crash-after}-th time the armed point is reached, the process halts like {@code kill -9}:
 * no shutdown hooks, no flush, no offset commit. The fault suite ({@code deploy/faults}) restarts the service and
 * checks from outside that nothing was lost or done twice. Unarmed, {@link #reach} does nothing.
 */
public final class CrashPoints {

    public static final String PROPERTY = "k0rdent.fault-injection.crash-point";
    public static final String CRASH_AFTER_PROPERTY = "k0rdent.fault-injection.crash-after";
    /** What a SIGKILL'd JVM exits with, so the fault suite's watchdog sees the same as for an outside kill. */
    static final int HALT_STATUS = 137;

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

    private final CrashPoint armed;
    private final int crashAfter;
    private final Runnable halt;
    private final AtomicInteger reached = new AtomicInteger();

    /**
     * @param armed      the point that halts, or {@code null} for none
     * @param crashAfter on which pass of that point
     * @param halt       stops the process; {@link #armed(String, int)} uses {@code Runtime.halt}
     */
    public CrashPoints(CrashPoint armed, int crashAfter, Runnable halt) {
        if (crashAfter < 1) {
            throw new IllegalArgumentException(CRASH_AFTER_PROPERTY + " must be at least 1, not " + crashAfter);
        }
        this.armed = armed;
        this.crashAfter = crashAfter;
        this.halt = Objects.requireNonNull(halt, "halt");
    }

    /** None armed: what production runs with. */
    public static CrashPoints none() {
        return new CrashPoints(null, 1, () -> {
        });
    }

    /** From configuration: {@code point} blank or null arms none; an unknown name fails. */
    public static CrashPoints armed(String point, int crashAfter) {
        CrashPoint named = point == null || point.isBlank() ? null : CrashPoint.named(point.strip());
        return new CrashPoints(named, crashAfter, () -> Runtime.getRuntime().halt(HALT_STATUS));
    }

    public Optional<CrashPoint> armed() {
        return Optional.ofNullable(armed);
    }

    /**
     * Passes {@code point}: halts the process if it is the armed one and this is its {@code crash-after}-th pass.
     *
     * @param where what was just done, for the log line written before halting
     */
    public void reach(CrashPoint point, Supplier<String> where) {
        if (point == armed && reached.incrementAndGet() == crashAfter) {
            LOG.warn("Fault injection: halting at {} (pass {}): {}", point.configName(), crashAfter, where.get());
            halt.run();
        }
    }
}
