package io.k0rdent.ops.notifier.commitstatus;

import io.k0rdent.ops.notifier.delivery.HttpOutcomes;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

/**
 * Classifies a forge's answer to a commit status request.
 *
 * <ul>
 *   <li>2xx: delivered (the forges answer 201 with the created status).</li>
 *   <li>429, and 403 when it is a rate limit (GitHub: {@code retry-after} present, or
 *       {@code x-ratelimit-remaining: 0}, or a "secondary rate limit" message): retried after {@code retry-after}
 *       seconds, else until {@code x-ratelimit-reset} (UTC epoch seconds), else after one minute, as GitHub's
 *       "Rate limits for the REST API" asks.</li>
 *   <li>408, 5xx: retried with backoff.</li>
 *   <li>401, 403, 404, 422 and other 4xx: permanent, with a reason naming the forge and the repository, never
 *       the token.</li>
 * </ul>
 */
final class ForgeAnswers {

    /** GitHub: "Otherwise, wait for at least one minute before retrying." */
    static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);
    private static final int MAX_BODY_IN_REASON = 160;

    private ForgeAnswers() {
    }

    /**
     * @param where  "GitHub repository acme/clusters", for reasons
     * @param header a response header by name (case-insensitive), or {@code null}
     */
    static SendOutcome classify(String where, int status, String body, Function<String, String> header, Clock clock) {
        if (status >= 200 && status < 300) {
            return new SendOutcome.Delivered();
        }
        String reason = where + ": HTTP " + status + excerpt(body);
        if (status == 429 || (status == 403 && isRateLimit(body, header))) {
            return new SendOutcome.RetryLater(rateLimitWait(header, clock), reason + " (rate limited)");
        }
        if (status == 408 || status >= 500) {
            return new SendOutcome.RetryLater(status == 503 ? HttpOutcomes.parseRetryAfter(header.apply("Retry-After"),
                    clock) : null, reason);
        }
        if (status == 401) {
            return new SendOutcome.PermanentFailure(reason + " (the token is not accepted)");
        }
        if (status == 403 || status == 404) {
            return new SendOutcome.PermanentFailure(reason + " (the repository does not exist or the token may not"
                    + " set commit statuses on it)");
        }
        return new SendOutcome.PermanentFailure(reason);
    }

    private static boolean isRateLimit(String body, Function<String, String> header) {
        return header.apply("Retry-After") != null || "0".equals(trim(header.apply("x-ratelimit-remaining")))
                || (body != null && body.toLowerCase(Locale.ROOT).contains("rate limit"));
    }

    private static Duration rateLimitWait(Function<String, String> header, Clock clock) {
        Duration retryAfter = HttpOutcomes.parseRetryAfter(header.apply("Retry-After"), clock);
        if (retryAfter != null) {
            return retryAfter;
        }
        String reset = trim(header.apply("x-ratelimit-reset"));
        if (reset != null && "0".equals(trim(header.apply("x-ratelimit-remaining")))) {
            try {
                Duration wait = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset)));
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (NumberFormatException unreadable) {
                return SECONDARY_LIMIT_WAIT;
            }
        }
        return SECONDARY_LIMIT_WAIT;
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return " " + StatusText.truncate(oneLine, MAX_BODY_IN_REASON);
    }
}
