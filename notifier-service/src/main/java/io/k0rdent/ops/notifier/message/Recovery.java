package io.k0rdent.ops.notifier.message;

import io.k0rdent.ops.notifier.routing.Stage;
import java.time.Instant;

/**
 * A success that ends an earlier failure of the same cluster, so the message can say
 * "ready again after failing at bootstrap".
 *
 * @param failedStage where the cluster failed
 * @param detail      what failed there, e.g. the bootstrap phase; may be {@code null}
 * @param failedAt    when the failure was reported
 */
public record Recovery(Stage failedStage, String detail, Instant failedAt) {

    /** E.g. {@code after failing at bootstrap (JOIN_WORKERS)}. */
    public String phrase() {
        return "after failing at " + failedStage.label() + (detail == null ? "" : " (" + detail + ")");
    }
}
