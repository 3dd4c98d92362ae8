package io.k0rdent.ops.gitwatcher.sync;

import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import io.k0rdent.ops.gitwatcher.state.DefinitionStateStore;
import io.k0rdent.ops.gitwatcher.webhook.SyncTrigger;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.LogFields;
import io.k0rdent.ops.support.telemetry.StageTimer;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the syncs: a jittered poll per watched branch, immediate syncs asked for by webhooks, and
 * retries with exponential backoff after failures. Syncs of one branch never overlap; a trigger that
 * arrives during a sync runs another one right after it, so no push is missed. Git work always runs
 * on this scheduler's threads, never on an HTTP request thread.
 */
public class SyncScheduler implements ApplicationEventListener<StartupEvent>, SyncTrigger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    private static final AttributeKey<String> REPOSITORY = AttributeKey.stringKey("k0rdent.git.repository");
    private static final AttributeKey<String> BRANCH = AttributeKey.stringKey("k0rdent.git.branch");
    private static final AttributeKey<String> SYNC_OUTCOME = AttributeKey.stringKey("k0rdent.sync.outcome");

    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;
    private final Clock clock;
    private final Map<WatchKey, Slot> slots = new LinkedHashMap<>();
    private final SyncMetrics metrics;
    private final EventTelemetry telemetry;
    private final ScheduledExecutorService executor;

    /**
     * @param syncers             one per watched branch, in configuration order; closed (with their mirrors) by
     *                            {@link #close()}
     * @param retryInitialBackoff the pause after a branch's first failed sync, doubled per failure
     * @param retryMaxBackoff     the longest pause
     * @param executor            runs the syncs; owned from now on: {@link #close()} shuts it down
     */
    public SyncScheduler(List<RepositorySyncer> syncers, DefinitionStateStore store, Duration retryInitialBackoff,
                         Duration retryMaxBackoff, SyncMetrics metrics, EventTelemetry telemetry, Clock clock,
                         ScheduledExecutorService executor) {
        this.retryInitialBackoff = retryInitialBackoff;
        this.retryMaxBackoff = retryMaxBackoff;
        this.clock = clock;
        this.metrics = metrics;
        this.telemetry = telemetry;
        this.executor = executor;
        for (RepositorySyncer syncer : syncers) {
            slots.put(syncer.repository().key(), new Slot(syncer, store));
        }
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        for (Slot slot : slots.values()) {
            // Spread the first polls a little, as the later ones are.
            schedule(slot, jitter(Duration.ofMillis(200), 1.0));
        }
        LOG.info("Watching {} branch(es): {}", slots.size(), slots.keySet());
    }

    /**
     * Asks for a sync of {@code key} as soon as possible, e.g. after a push webhook. Returns at once.
     *
     * @return false when the branch is not watched
     */
    @Override
    public boolean trigger(WatchKey key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return false;
        }
        synchronized (slot) {
            // The request's span (a webhook's SERVER span) becomes the parent of the sync it asked for.
            SpanContext caller = Span.current().getSpanContext();
            if (caller.isValid()) {
                slot.triggers.add(caller);
            }
            if (slot.running) {
                slot.pending = true;
            } else {
                schedule(slot, Duration.ZERO);
            }
        }
        return true;
    }

    /** The status of every watched branch, in configuration order. */
    public List<RepositoryStatus> statuses() {
        return slots.values().stream().map(Slot::status).toList();
    }

    public Optional<RepositoryStatus> status(WatchKey key) {
        return Optional.ofNullable(slots.get(key)).map(Slot::status);
    }

    private void schedule(Slot slot, Duration delay) {
        synchronized (slot) {
            if (executor.isShutdown()) {
                return;
            }
            if (slot.next != null) {
                slot.next.cancel(false);
            }
            slot.next = executor.schedule(() -> run(slot), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The span of one sync: a child of the first webhook request that asked for it, linked to any others that were
     * folded into the same sync, and a root of its own when only the poll timer asked.
     */
    private Span syncSpan(WatchedRepository repository, List<SpanContext> triggers) {
        SpanBuilder builder = telemetry.tracer().spanBuilder("gitwatcher sync")
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(REPOSITORY, repository.key().repository())
                .setAttribute(BRANCH, repository.key().branch());
        if (triggers.isEmpty()) {
            builder.setNoParent();
        } else {
            builder.setParent(Context.root().with(Span.wrap(triggers.get(0))));
            triggers.stream().skip(1).forEach(builder::addLink);
        }
        return builder.startSpan();
    }

    private void run(Slot slot) {
        List<SpanContext> triggers;
        synchronized (slot) {
            if (slot.running) {
                slot.pending = true;
                return;
            }
            slot.running = true;
            slot.pending = false;
            triggers = List.copyOf(slot.triggers);
            slot.triggers.clear();
        }
        WatchedRepository repository = slot.syncer.repository();
        Span span = syncSpan(repository, triggers);
        StageTimer stage = telemetry.stage("sync");
        Duration next;
        long start = System.nanoTime();
        try (Scope ignored = span.makeCurrent();
             LogFields fields = LogFields.open().span(span.getSpanContext())) {
            RepositorySyncer.Outcome outcome = slot.syncer.sync();
            span.setAttribute(SYNC_OUTCOME, outcome.name().toLowerCase(java.util.Locale.ROOT));
            if (outcome == RepositorySyncer.Outcome.PROCESSED) {
                // Only a sync that found a new commit is a stage of some cluster's change; a poll that found
                // nothing new would bury those durations under milliseconds.
                stage.success();
            }
            metrics.recordSync(repository.key(), outcome.name().toLowerCase(java.util.Locale.ROOT),
                    Duration.ofNanos(System.nanoTime() - start));
            synchronized (slot) {
                slot.lastFetchAt = clock.instant();
                slot.failures = 0;
                slot.lastError = outcome == RepositorySyncer.Outcome.BRANCH_MISSING
                        ? "branch " + repository.key().branch() + " does not exist on the remote" : null;
                slot.lastErrorAt = outcome == RepositorySyncer.Outcome.BRANCH_MISSING ? clock.instant() : null;
            }
            next = jitter(repository.pollInterval(), repository.pollJitter());
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            stage.failure();
            metrics.recordSync(repository.key(), "failed", Duration.ofNanos(System.nanoTime() - start));
            int failures;
            synchronized (slot) {
                failures = ++slot.failures;
                slot.lastError = describe(e);
                slot.lastErrorAt = clock.instant();
            }
            next = backoff(failures, repository.pollInterval());
            LOG.warn("Sync of {} failed ({} in a row), retrying in {}: {}", repository.key(), failures, next,
                    describe(e));
            LOG.debug("Sync failure of {}", repository.key(), e);
        } finally {
            span.end();
        }
        synchronized (slot) {
            slot.running = false;
            schedule(slot, slot.pending ? Duration.ZERO : next);
        }
    }

    /** Exponential backoff from the initial delay, capped by the maximum and by the poll interval. */
    Duration backoff(int failures, Duration pollInterval) {
        long initial = retryInitialBackoff.toMillis();
        long cap = Math.min(retryMaxBackoff.toMillis(), Math.max(initial, pollInterval.toMillis()));
        long delay = initial << Math.min(20, Math.max(0, failures - 1));
        return jitter(Duration.ofMillis(Math.min(cap, delay)), 0.2);
    }

    private static Duration jitter(Duration base, double fraction) {
        double factor = 1 + fraction * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(base.toMillis() * factor)));
    }

    /** The exception and its causes in one line; our own messages never carry credentials. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    /** Stops the syncs (a running one is given ten seconds) and closes the mirrors. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A sync was still running at shutdown; its transaction is left to be fenced on restart");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slots.values().forEach(s -> s.syncer.close());
    }

    /** The scheduling state of one branch; guarded by its own monitor. */
    private final class Slot {

        final RepositorySyncer syncer;
        final DefinitionStateStore store;
        boolean running;
        boolean pending;
        final List<SpanContext> triggers = new ArrayList<>();
        ScheduledFuture<?> next;
        Instant lastFetchAt;
        String lastError;
        Instant lastErrorAt;
        int failures;

        Slot(RepositorySyncer syncer, DefinitionStateStore store) {
            this.syncer = syncer;
            this.store = store;
        }

        synchronized RepositoryStatus status() {
            WatchKey key = syncer.repository().key();
            var state = store.get(key);
            return new RepositoryStatus(key.repository(), key.branch(),
                    state.map(s -> s.watermark()).orElse(null), state.map(s -> s.size()).orElse(0),
                    lastFetchAt, lastError, lastErrorAt, failures);
        }
    }
}
