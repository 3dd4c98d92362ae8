package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.support.telemetry.LogFields;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery queue of one destination, drained by one thread of its own: a slow, rate-limited or dead
 * destination delays only its own messages, never the consumer or the other destinations.
 *
 * <p>Messages go out in order. A message that may be retried stays at the head of the queue until it is
 * delivered or its attempts run out, so a destination's messages are never reordered. Waiting (rate limit,
 * {@code Retry-After}, backoff) is a scheduled wake-up, not a sleeping thread.
 */
public final class DestinationWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);

    private final String destination;
    private final Notifier notifier;
    private final RateLimiter limiter;
    private final RetryPolicy retry;
    private final Clock clock;
    private final DeliveryListener listener;
    private final ScheduledExecutorService executor;
    // Touched only on the executor's thread, hence no locking.
    private final Deque<Attempt> queue = new ArrayDeque<>();
    private boolean wakeUpScheduled;

    private final Tracer tracer;

    public DestinationWorker(String destination, Notifier notifier, RateLimiter limiter, RetryPolicy retry,
                             Clock clock, DeliveryListener listener) {
        this(destination, notifier, limiter, retry, clock, listener, OpenTelemetry.noop().getTracer("none"));
    }

    /** @param tracer for one span per send attempt (see {@link SendTracing}) */
    public DestinationWorker(String destination, Notifier notifier, RateLimiter limiter, RetryPolicy retry,
                             Clock clock, DeliveryListener listener, Tracer tracer) {
        this.tracer = tracer;
        this.destination = destination;
        this.notifier = notifier;
        this.limiter = limiter;
        this.retry = retry;
        this.clock = clock;
        this.listener = listener;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "notifier-" + destination);
            thread.setDaemon(true);
            return thread;
        });
    }

    public String destination() {
        return destination;
    }

    /** Queues a delivery; returns at once. */
    public void submit(Delivery delivery) {
        executor.execute(() -> {
            queue.addLast(new Attempt(delivery));
            scheduleNext();
        });
    }

    private void scheduleNext() {
        if (wakeUpScheduled || queue.isEmpty() || executor.isShutdown()) {
            return;
        }
        wakeUpScheduled = true;
        long waitMillis = limiter.delay(clock.instant()).toMillis();
        executor.schedule(this::attemptHead, waitMillis, TimeUnit.MILLISECONDS);
    }

    private void attemptHead() {
        wakeUpScheduled = false;
        Attempt head = queue.peekFirst();
        if (head == null) {
            return;
        }
        Instant now = clock.instant();
        if (!limiter.delay(now).isZero()) {
            scheduleNext();
            return;
        }
        limiter.onSend(now);
        head.attempts++;
        SendOutcome outcome;
        Span span = SendTracing.start(tracer, head.delivery, head.attempts);
        try (Scope ignored = span.makeCurrent();
             LogFields fields = LogFields.open().span(span.getSpanContext())) {
            if (head.delivery.items().size() == 1) {
                var header = head.delivery.items().get(0).notice().event().header();
                fields.put(LogFields.CLUSTER, header.clusterName()).put(LogFields.GENERATION, header.generation())
                        .put(LogFields.EVENT_ID, header.eventId());
            }
            try {
                outcome = notifier.send(head.delivery);
            } catch (RuntimeException e) {
                // Adapters classify failures themselves; anything escaping is unexpected, and retrying is the safe guess.
                outcome = new SendOutcome.RetryLater(null, e.getClass().getSimpleName());
            }
            span.setAttribute("k0rdent.notification.outcome", outcome.getClass().getSimpleName());
            if (!(outcome instanceof SendOutcome.Delivered)) {
                span.setStatus(StatusCode.ERROR);
            }
            handle(head, outcome, now);
        } finally {
            span.end();
        }
        scheduleNext();
    }

    private void handle(Attempt head, SendOutcome outcome, Instant now) {
        try {
            if (outcome instanceof SendOutcome.Delivered) {
                queue.removeFirst();
                listener.delivered(head.delivery);
            } else if (outcome instanceof SendOutcome.PermanentFailure permanent) {
                queue.removeFirst();
                LOG.warn("Destination {} rejected message {} permanently: {}", destination,
                        head.delivery.message().id(), permanent.reason());
                listener.failed(head.delivery, permanent.reason(), true);
            } else if (outcome instanceof SendOutcome.RetryLater later) {
                if (head.attempts >= retry.maxAttempts()) {
                    queue.removeFirst();
                    String reason = "gave up after " + head.attempts + " attempts: " + later.reason();
                    LOG.warn("Destination {}: {}", destination, reason);
                    listener.failed(head.delivery, reason, false);
                } else {
                    Duration wait = later.retryAfter() != null ? retry.retryAfter(later.retryAfter())
                            : retry.backoff(head.attempts);
                    LOG.info("Destination {} asked to retry ({}); next attempt in {}", destination, later.reason(), wait);
                    limiter.pauseUntil(now.plus(wait));
                }
            }
        } catch (RuntimeException e) {
            // Recording failed (e.g. Kafka unavailable). The delivery stays unsettled, so its offsets are not
            // committed and a restart reprocesses it: a possible duplicate, never a loss.
            LOG.error("Destination {}: could not record the outcome of message {}", destination,
                    head.delivery.message().id(), e);
        }
    }

    /**
     * Takes back, unsent, the queued deliveries {@code matches} selects (a hand-over: their partitions moved to another
     * replica, which tells them). Runs on the worker's own thread, so never during a send: a send under way finishes
     * first, waited for at most {@code timeout}.
     *
     * @return the deliveries taken back; empty if the wait ended first, and then nothing was taken
     */
    public Optional<List<Delivery>> withdraw(Predicate<Delivery> matches, Duration timeout)
            throws InterruptedException {
        Future<List<Delivery>> taking;
        try {
            taking = executor.submit(() -> {
                List<Delivery> taken = new ArrayList<>();
                queue.removeIf(attempt -> matches.test(attempt.delivery) && taken.add(attempt.delivery));
                return taken;
            });
        } catch (RejectedExecutionException closed) {
            return Optional.of(List.of());
        }
        try {
            return Optional.of(taking.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            // Not started (a send hangs): it never runs. Started meanwhile: its result is still ours to hand back.
            if (taking.cancel(false)) {
                return Optional.empty();
            }
            return Optional.of(result(taking));
        } catch (ExecutionException e) {
            throw new IllegalStateException("withdrawing from " + destination, e.getCause());
        }
    }

    private static List<Delivery> result(Future<List<Delivery>> taking) throws InterruptedException {
        try {
            return taking.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops at once; queued deliveries are dropped unsettled, so their records are processed again after a restart. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class Attempt {
        private final Delivery delivery;
        private int attempts;

        private Attempt(Delivery delivery) {
            this.delivery = delivery;
        }
    }
}
