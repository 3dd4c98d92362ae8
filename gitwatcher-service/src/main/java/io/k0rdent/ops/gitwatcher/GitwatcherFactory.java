package io.k0rdent.ops.gitwatcher;

import io.k0rdent.ops.gitwatcher.git.RepositoryMirror;
import io.k0rdent.ops.gitwatcher.publish.PlanRecords;
import io.k0rdent.ops.gitwatcher.publish.TransactionalEventPublisher;
import io.k0rdent.ops.gitwatcher.state.ChangePlanner;
import io.k0rdent.ops.gitwatcher.state.DefinitionStateStore;
import io.k0rdent.ops.gitwatcher.sync.RepositorySyncer;
import io.k0rdent.ops.gitwatcher.sync.SyncMetrics;
import io.k0rdent.ops.gitwatcher.sync.SyncScheduler;
import io.k0rdent.ops.gitwatcher.validation.DefinitionFileValidator;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gitwatcher's object graph in one place: per watched branch a mirror and a syncer, all driven by one scheduler.
 * Adapters with nothing to choose (the Kafka publisher and reader, the webhook handler) stay {@code @Singleton}s.
 */
@Factory
public class GitwatcherFactory {

    /** The executor the syncs run on; {@link SyncScheduler} owns and shuts it down. */
    public static final String SYNC_EXECUTOR = "gitwatcher-sync";

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    ChangePlanner changePlanner() {
        return new ChangePlanner();
    }

    /** At most two threads: syncs of one branch never overlap, and more would only contend for the broker. */
    @Singleton
    @Named(SYNC_EXECUTOR)
    ScheduledExecutorService syncExecutor(WatchedRepositories repositories) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newScheduledThreadPool(Math.max(1, Math.min(2, repositories.all().size())), runnable -> {
            Thread t = new Thread(runnable, "gitwatcher-sync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Singleton
    @Bean(preDestroy = "close")
    SyncScheduler syncScheduler(GitwatcherProperties properties, WatchedRepositories repositories,
                                DefinitionStateStore store, DefinitionFileValidator validator, ChangePlanner planner,
                                PlanRecords planRecords, TransactionalEventPublisher publisher, SyncMetrics metrics,
                                EventTelemetry telemetry, Clock clock,
                                @Named(SYNC_EXECUTOR) ScheduledExecutorService executor) {
        List<RepositorySyncer> syncers = new ArrayList<>();
        for (WatchedRepository repository : repositories.all()) {
            RepositoryMirror mirror = RepositoryMirror.open(repository,
                    properties.mirrorDir().resolve(mirrorName(repository)),
                    (int) Math.max(1, properties.gitTimeout().toSeconds()));
            syncers.add(new RepositorySyncer(repository, mirror, store, validator, planner, planRecords, publisher,
                    metrics));
        }
        return new SyncScheduler(syncers, store, properties.retryInitialBackoff(), properties.retryMaxBackoff(),
                metrics, telemetry, clock, executor);
    }

    /** A readable directory name per branch that stays the same across restarts (the mirror is reused). */
    static String mirrorName(WatchedRepository repository) {
        String key = repository.key().toString();
        String readable = key.replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 60) {
            readable = readable.substring(readable.length() - 60);
        }
        // The hash keeps two URLs that read alike after the replacement apart.
        return readable + "-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
    }
}
