package io.k0rdent.ops.provisioner.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * EC2's eventual consistency on the caller's side. AWS documents that "if you try to describe or modify a resource
 * immediately after you create it, you might get an error such as {@code InvalidInstanceID.NotFound}" and asks
 * callers to retry with backoff ("Eventual consistency in the Amazon EC2 API"). A call naming a resource this gateway
 * created less than {@code window} ago is therefore repeated on a {@code NotFound} answer that names that resource
 * (EC2's messages quote the id: "The vpc ID 'vpc-…' does not exist"), with capped exponential pauses, until the
 * window has passed. Any other {@code NotFound} means what it says and is thrown at once: a key pair that does not
 * exist must not wait a minute because the call also names a subnet created a second ago.
 */
final class EventualConsistencyRetry {

    /** Pauses between attempts; a seam for unit tests. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final Duration window;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();

    EventualConsistencyRetry(Duration window, Clock clock, Sleeper sleeper) {
        this.window = window;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Remembers that this gateway just created {@code id}. */
    void created(String id) {
        Instant now = clock.instant();
        createdAt.put(id, now);
        createdAt.values().removeIf(at -> at.plus(window).isBefore(now));
    }

    <T> T call(Collection<String> ids, Supplier<T> action) {
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return action.get();
            } catch (AwsServiceException e) {
                if (!notFound(e) || !namesAFreshResource(ids, e)) {
                    throw e;
                }
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private boolean namesAFreshResource(Collection<String> ids, AwsServiceException e) {
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage();
        Instant now = clock.instant();
        return ids.stream().filter(message::contains).map(createdAt::get)
                .anyMatch(at -> at != null && now.isBefore(at.plus(window)));
    }

    static boolean notFound(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code != null && (code.endsWith(".NotFound") || code.endsWith("NotFound") && !code.contains("."));
    }
}
