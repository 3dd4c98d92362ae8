package io.k0rdent.ops.gitwatcher.webhook;

import java.util.List;

/**
 * What a webhook request led to, and the HTTP status that says so.
 *
 * @param result    the kind of outcome
 * @param message   a short explanation for the sender's delivery log; never contains a secret
 * @param triggered the branches a sync was triggered for
 */
public record WebhookOutcome(Result result, String message, List<String> triggered) {

    /** Outcomes with their HTTP status. */
    public enum Result {
        TRIGGERED(202), DUPLICATE(202), IGNORED(202), UNAUTHORIZED(401), MALFORMED(400), TOO_LARGE(413);

        private final int status;

        Result(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public WebhookOutcome {
        triggered = List.copyOf(triggered);
    }

    static WebhookOutcome of(Result result, String message) {
        return new WebhookOutcome(result, message, List.of());
    }
}
