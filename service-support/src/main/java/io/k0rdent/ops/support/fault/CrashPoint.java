package io.k0rdent.ops.support.fault;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The named moments at which a service can be made to halt for fault testing ({@link CrashPoints}). The names are
 * what {@code k0rdent.fault-injection.crash-point} takes, and what the fault suite ({@code deploy/faults}) arms.
 */
public enum CrashPoint {
    /** Provisioner: RunInstances returned, the event reporting it not produced yet. */
    AFTER_LAUNCH("after-launch"),
    /** Gitwatcher: a commit's events and watermark sent, the Kafka transaction not committed. */
    BEFORE_COMMIT("before-commit"),
    /** Notifier: a delivery sent and its ledger transaction committed, its offsets not committed. */
    AFTER_RECORDED("after-recorded"),
    /** Notifier: offsets about to be committed. */
    BEFORE_OFFSET_COMMIT("before-offset-commit"),
    /**
     * Any service consuming through the {@code ConsumerSkeleton}: a record's effect is done (events published, or
     * handed on), its offset not committed yet.
     */
    AFTER_HANDLED("after-handled");

    private final String configName;

    CrashPoint(String configName) {
        this.configName = configName;
    }

    /** The name in configuration, e.g. {@code after-launch}. */
    public String configName() {
        return configName;
    }

    /** The point of that configuration name; an unknown name fails, so a misspelt point cannot silently never fire. */
    public static CrashPoint named(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown crash point '" + name + "'; known: "
                        + Arrays.stream(values()).map(CrashPoint::configName).collect(Collectors.joining(", "))));
    }
}
