package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.rules.CommitRules;
import io.k0rdent.ops.rules.DefinitionChange;
import io.k0rdent.ops.rules.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Turns what one new commit means for the accepted definitions of a branch into the records to commit. The
 * decisions (created, updated, deleted, unchanged, rejected, by which rule) are the rules library's
 * ({@link CommitRules}, shared with {@code k0ops plan} so both say the same); this class adds what is the
 * gitwatcher's own: events with their headers and Git facts, generations, and the accepted-state records.
 * Pure: it reads the current {@link BranchState} and returns a {@link ChangePlan}; nothing is applied until the
 * plan's records are committed.
 *
 * <ul>
 *   <li>A rejection is published once, when its file changes; a standing file still rejected emits nothing.</li>
 *   <li>Every accepted change (deletion included) bumps the cluster's generation; a new cluster starts
 *       above every generation the branch has given out, so that one created again after its deletion
 *       still moves forward.</li>
 * </ul>
 */
public final class ChangePlanner {

    private final CommitRules rules = new CommitRules();

    /**
     * @param state       the branch's current state, not modified
     * @param push        the branch, the new head and its commits
     * @param files       the changed definition files between the watermark and the head
     * @param existsAtHead whether a path exists as a file at the new head
     */
    public ChangePlan plan(BranchState state, PushContext push, List<ChangedFile> files, Predicate<String> existsAtHead) {
        return plan(state, push, files, List.of(), existsAtHead);
    }

    /**
     * Plans the changed files together with the standing ones.
     *
     * @param standing the unchanged files at the head that define no accepted cluster
     *                 ({@link StandingRejections}), planned again in case the conflict that kept them out is gone
     */
    public ChangePlan plan(BranchState state, PushContext push, List<ChangedFile> files, List<ChangedFile> standing,
                           Predicate<String> existsAtHead) {
        List<Verdict> verdicts = rules.decide(state.accepted(), changes(files), changes(standing), existsAtHead);
        return new Run(state, push).apply(verdicts);
    }

    private static List<DefinitionChange> changes(List<ChangedFile> files) {
        return files.stream().map(f -> new DefinitionChange(DefinitionChange.Kind.valueOf(f.change().kind().name()),
                f.change().oldPath(), f.change().newPath(), f.validation())).toList();
    }

    /** Events, generations and state records for one commit's verdicts. */
    private static final class Run {

        private final BranchState state;
        private final PushContext push;
        // Keyed by the event's file so that events come out in file order, whatever the diff order.
        private final TreeMap<String, List<ClusterEvent>> eventsByFile = new TreeMap<>();
        private final Map<String, ChangePlan.StateChange> stateChanges = new LinkedHashMap<>();
        private long highest;

        Run(BranchState state, PushContext push) {
            this.state = state;
            this.push = push;
            this.highest = state.highestGeneration();
        }

        /** The verdicts in the order they were decided: generations are handed out in that order. */
        ChangePlan apply(List<Verdict> verdicts) {
            for (Verdict verdict : verdicts) {
                if (verdict instanceof Verdict.Create c) {
                    create(c);
                } else if (verdict instanceof Verdict.Update u) {
                    update(u);
                } else if (verdict instanceof Verdict.Delete d) {
                    delete(d);
                } else if (verdict instanceof Verdict.Unchanged k) {
                    keep(k);
                } else if (verdict instanceof Verdict.Rejected r) {
                    reject(r);
                }
            }
            List<ClusterEvent> events = new ArrayList<>();
            eventsByFile.values().forEach(events::addAll);
            return new ChangePlan(push.key(), push.head().id(), highest, events, List.copyOf(stateChanges.values()));
        }

        private void create(Verdict.Create c) {
            long generation = ++highest;
            addEvent(c.path(), new ClusterDefinitionCreated(header(c.path(), c.name(), generation,
                    c.definition().metadata().labels()),
                    // previousPath names the same cluster's earlier file; a new cluster has none, even when its
                    // file was renamed from another cluster's (that one is deleted in this plan).
                    git(c.path(), null), c.definition()));
            stateChanges.put(c.name(), ChangePlan.StateChange.put(
                    new AcceptedCluster(c.name(), c.path(), generation, c.definition(), push.head().id())));
        }

        private void update(Verdict.Update u) {
            AcceptedCluster current = accepted(u.name());
            long generation = current.generation() + 1;
            highest = Math.max(highest, generation);
            EventHeader header = header(u.path(), u.name(), generation, u.definition().metadata().labels());
            addEvent(u.path(), new ClusterDefinitionUpdated(header, git(u.path(), u.previousPath()),
                    u.definition(), u.changes()));
            stateChanges.put(u.name(), ChangePlan.StateChange.put(
                    new AcceptedCluster(u.name(), u.path(), generation, u.definition(), push.head().id())));
        }

        private void delete(Verdict.Delete d) {
            AcceptedCluster c = accepted(d.name());
            long generation = c.generation() + 1;
            highest = Math.max(highest, generation);
            addEvent(d.path(), new ClusterDefinitionDeleted(header(d.path(), c.name(), generation,
                    c.definition().metadata().labels()), git(d.path(), null), c.definition()));
            stateChanges.put(c.name(), ChangePlan.StateChange.remove(c.name()));
        }

        /** The cluster stays as it is; only where its file now lives may change. */
        private void keep(Verdict.Unchanged k) {
            AcceptedCluster cluster = accepted(k.name());
            if (!cluster.path().equals(k.path())) {
                stateChanges.put(cluster.name(), ChangePlan.StateChange.put(cluster.movedTo(k.path())));
            }
        }

        private void reject(Verdict.Rejected r) {
            if (r.repeated()) {
                // Unchanged and still rejected: reported when its file last changed, so no news for anyone.
                return;
            }
            long generation = r.accepted() == null ? 0L : accepted(r.accepted()).generation();
            addEvent(r.path(), new ClusterDefinitionRejected(header(r.path(), r.name(), generation, r.labels()),
                    git(r.path(), null), r.problems()));
        }

        private AcceptedCluster accepted(String name) {
            return state.cluster(name).orElseThrow(() -> new IllegalStateException("no accepted cluster " + name));
        }

        private void addEvent(String path, ClusterEvent event) {
            eventsByFile.computeIfAbsent(path, p -> new ArrayList<>()).add(event);
        }

        private EventHeader header(String path, String cluster, long generation, Map<String, String> labels) {
            var key = push.key();
            var head = push.head();
            return new EventHeader(
                    // The generation is part of the identity: a force-push back to an earlier commit makes the same
                    // commit, file and cluster a new change (a new generation) that must not pass for a redelivery
                    // of the first one. Re-processing a commit after a crash gives the same generation, so the id.
                    EventIds.fromParts(key.repository(), key.branch(), head.id(), path, cluster,
                            Long.toString(generation)),
                    cluster, generation, head.id(), null,
                    // The commit time, not the wall clock: re-processing a commit after a crash then yields
                    // byte-identical events.
                    head.time(), labels,
                    head.authorName() == null ? null : new Initiator(head.authorName(), head.authorEmail()));
        }

        private GitSource git(String path, String previousPath) {
            return new GitSource(push.key().repository(), push.key().branch(), path, previousPath, push.head().id(),
                    push.commits(), push.head().subject());
        }
    }
}
