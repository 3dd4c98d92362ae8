package io.k0rdent.ops.notifier.delivery;

import java.time.Duration;

/** What a destination answered to one send attempt. */
public sealed interface SendOutcome {

    /** The destination accepted the message. */
    record Delivered() implements SendOutcome {
    }

    /**
     * Trying again may work: HTTP 429 or 5xx, a timeout, a refused connection, SMTP 4xx.
     *
     * @param retryAfter what the destination asked for (HTTP {@code Retry-After}), or {@code null} to back off
     * @param reason     for logs and the failure event; never contains a URL or credential
     */
    record RetryLater(Duration retryAfter, String reason) implements SendOutcome {
    }

    /**
     * Trying again cannot help: Slack 404 {@code no_service}, HTTP 400/403/410, an invalid address, SMTP 5xx.
     *
     * @param reason for logs and the failure event; never contains a URL or credential
     */
    record PermanentFailure(String reason) implements SendOutcome {
    }
}
