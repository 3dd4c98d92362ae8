package io.k0rdent.ops.support.telemetry;

import java.time.Duration;

/** One running {@code k0rdent.stage.duration} measurement; record it once with its outcome. */
public final class StageTimer {

    private final EventTelemetry telemetry;
    private final String stage;
    private final long startNanos;

    StageTimer(EventTelemetry telemetry, String stage, long startNanos) {
        this.telemetry = telemetry;
        this.stage = stage;
        this.startNanos = startNanos;
    }

    public void success() {
        record(true);
    }

    public void failure() {
        record(false);
    }

    public void record(boolean success) {
        telemetry.recordStage(stage, success, Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
