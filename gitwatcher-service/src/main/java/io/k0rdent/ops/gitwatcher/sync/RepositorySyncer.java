package io.k0rdent.ops.gitwatcher.sync;

import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import io.k0rdent.ops.gitwatcher.git.CommitInfo;
import io.k0rdent.ops.gitwatcher.git.FileChange;
import io.k0rdent.ops.gitwatcher.git.RepositoryMirror;
import io.k0rdent.ops.gitwatcher.publish.PlanRecords;
import io.k0rdent.ops.gitwatcher.publish.TransactionalEventPublisher;
import io.k0rdent.ops.gitwatcher.state.AcceptedCluster;
import io.k0rdent.ops.gitwatcher.state.BranchState;
import io.k0rdent.ops.gitwatcher.state.ChangePlan;
import io.k0rdent.ops.gitwatcher.state.ChangePlanner;
import io.k0rdent.ops.gitwatcher.state.ChangedFile;
import io.k0rdent.ops.gitwatcher.state.DefinitionStateStore;
import io.k0rdent.ops.gitwatcher.state.PushContext;
import io.k0rdent.ops.gitwatcher.state.StandingRejections;
import io.k0rdent.ops.gitwatcher.validation.DefinitionFileValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one watched branch: fetch, diff the last processed tree against the new head, validate
 * the changed files, plan, and publish the plan's events and state in one transaction. Only after the
 * commit succeeds does the in-memory state move on. Called by {@link SyncScheduler}, never concurrently
 * for the same branch.
 */
public final class RepositorySyncer {

    private static final Logger LOG = LoggerFactory.getLogger(RepositorySyncer.class);

    private final WatchedRepository repository;
    private final RepositoryMirror mirror;
    private final DefinitionStateStore store;
    private final DefinitionFileValidator validator;
    private final ChangePlanner planner;
    private final PlanRecords planRecords;
    private final TransactionalEventPublisher publisher;
    private final SyncMetrics metrics;

    public RepositorySyncer(WatchedRepository repository, RepositoryMirror mirror, DefinitionStateStore store,
                            DefinitionFileValidator validator, ChangePlanner planner, PlanRecords planRecords,
                            TransactionalEventPublisher publisher, SyncMetrics metrics) {
        this.repository = repository;
        this.mirror = mirror;
        this.store = store;
        this.validator = validator;
        this.planner = planner;
        this.planRecords = planRecords;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** What a sync did. */
    public enum Outcome { UP_TO_DATE, PROCESSED, BRANCH_MISSING }

    /** Runs one sync; throws on any failure, leaving the state as it was. */
    public Outcome sync() {
        long start = System.nanoTime();
        BranchState state = store.get(repository.key()).orElseGet(() -> {
            // Fence an earlier incarnation first: its open transaction must be resolved before the
            // state topic is read, or we would resume from a watermark that is about to change.
            publisher.init();
            return store.reload(repository.key());
        });
        Optional<String> fetched = mirror.fetch();
        if (fetched.isEmpty()) {
            // Deleting the branch is not deleting the clusters: that must be an explicit change in Git.
            LOG.warn("Branch {} of {} does not exist on the remote; nothing is emitted and its clusters stay as they are",
                    repository.key().branch(), repository.key().repository());
            return Outcome.BRANCH_MISSING;
        }
        String head = fetched.get();
        if (head.equals(state.watermark())) {
            return Outcome.UP_TO_DATE;
        }
        long fetchedAt = System.nanoTime();
        ChangePlan plan = plan(state, head);
        long plannedAt = System.nanoTime();
        try {
            publisher.publish(planRecords.of(plan));
        } catch (RuntimeException e) {
            // The transaction's outcome may be unknown (a commit that timed out may have succeeded):
            // the next attempt starts from what the topic says.
            store.invalidate(repository.key());
            throw e;
        }
        state.apply(plan);
        metrics.recordEvents(repository.key(), plan.events());
        long done = System.nanoTime();
        LOG.info("Processed {} at {}: {} event(s), {} state change(s), {} cluster(s) accepted"
                        + " (fetch {} ms, diff+validate+plan {} ms, transaction {} ms)",
                repository.key(), head, plan.events().size(), plan.stateChanges().size(), state.size(),
                (fetchedAt - start) / 1_000_000, (plannedAt - fetchedAt) / 1_000_000, (done - plannedAt) / 1_000_000);
        return Outcome.PROCESSED;
    }

    private ChangePlan plan(BranchState state, String head) {
        String from = state.watermark();
        List<FileChange> changes;
        List<FileChange> standing = List.of();
        if (from != null && mirror.hasCommit(from)) {
            changes = mirror.changes(from, head, repository.paths());
            standing = StandingRejections.select(state, mirror.allFiles(head, repository.paths()), changes);
        } else {
            if (from != null) {
                LOG.warn("Last processed commit {} of {} is not in the mirror (re-cloned after a force-push?);"
                        + " comparing the whole tree with the stored definitions", from, repository.key());
            }
            // Every file at the head is planned here, so the standing rejections are among them.
            changes = wholeTree(state, head);
        }
        CommitInfo headCommit = mirror.commit(head);
        PushContext push = new PushContext(repository.key(), headCommit, mirror.commitsBetween(from, head));
        Predicate<String> exists = mirror.pathsIn(head);
        return planner.plan(state, push, validated(changes), validated(standing), exists);
    }

    private List<ChangedFile> validated(List<FileChange> changes) {
        List<ChangedFile> files = new ArrayList<>(changes.size());
        for (FileChange change : changes) {
            files.add(new ChangedFile(change, change.newBlob() == null ? null : validate(change)));
        }
        return files;
    }

    /**
     * Every definition file at the head as an addition, plus a deletion for each accepted cluster whose
     * file is no longer there. The planner turns unchanged files into no-ops.
     */
    private List<FileChange> wholeTree(BranchState state, String head) {
        List<FileChange> changes = new ArrayList<>(mirror.allFiles(head, repository.paths()));
        Set<String> present = new HashSet<>();
        changes.forEach(c -> present.add(c.newPath()));
        for (AcceptedCluster cluster : state.clusters()) {
            if (!present.contains(cluster.path())) {
                changes.add(FileChange.deleted(cluster.path()));
            }
        }
        return changes;
    }

    private ValidationResult validate(FileChange change) {
        try (InputStream in = mirror.open(change.newBlob())) {
            return validator.validate(change.newPath(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WatchedRepository repository() {
        return repository;
    }

    public void close() {
        mirror.close();
    }
}
