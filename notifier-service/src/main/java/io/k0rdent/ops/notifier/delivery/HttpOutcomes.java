package io.k0rdent.ops.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Classifies HTTP answers of Slack and generic webhooks into {@link SendOutcome}s. */
public final class HttpOutcomes {

    private static final int MAX_BODY_IN_REASON = 120;

    private HttpOutcomes() {
    }

    /**
     * 2xx delivered; 408, 425, 429 and 5xx retried (429 with its {@code Retry-After}); any other status is
     * permanent (Slack answers 404 {@code no_service}, 400 {@code invalid_payload}, 403 {@code action_prohibited},
     * 410 {@code channel_is_archived}).
     *
     * @param body       the answer's body; a short excerpt goes into the reason (Slack puts its error code there)
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     */
    public static SendOutcome classify(int status, String body, String retryAfter, Clock clock) {
        if (status >= 200 && status < 300) {
            return new SendOutcome.Delivered();
        }
        String reason = "HTTP " + status + excerpt(body);
        if (status == 429) {
            return new SendOutcome.RetryLater(parseRetryAfter(retryAfter, clock), reason);
        }
        if (status == 408 || status == 425 || status >= 500) {
            return new SendOutcome.RetryLater(status == 503 ? parseRetryAfter(retryAfter, clock) : null, reason);
        }
        return new SendOutcome.PermanentFailure(reason);
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; {@code null} when absent or unreadable. */
    public static Duration parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return " " + (oneLine.length() > MAX_BODY_IN_REASON ? oneLine.substring(0, MAX_BODY_IN_REASON) + "…" : oneLine);
    }
}
