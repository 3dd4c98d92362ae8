package io.k0rdent.ops.gitwatcher.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.validation.LocationIndex;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.gitwatcher.git.FileChange;
import io.k0rdent.ops.gitwatcher.validation.CidrIndex;
import io.k0rdent.ops.gitwatcher.validation.ClusterDiff;
import io.k0rdent.ops.gitwatcher.validation.RepositoryRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Decides what one new commit means for the accepted definitions of a branch: which clusters are
 * created, updated, deleted or left as they were, and which changes are rejected. Pure: it reads the
 * current {@link BranchState} and returns a {@link ChangePlan}; nothing is applied until the plan's
 * records are committed.
 *
 * <p>Rules, in the words of the contract:
 * <ul>
 *   <li>A cluster is identified by its name. A file moved (renamed, or deleted and re-added elsewhere)
 *       with the same name is the same cluster; without a content change it emits nothing.</li>
 *   <li>A file that does not validate is rejected and the cluster it defined keeps its last valid
 *       definition: an unreadable file is never taken for a deletion.</li>
 *   <li>Changing a file's {@code metadata.name}, {@code spec.region} or {@code spec.networking.vpcCidr}
 *       is rejected with the old and new values. A file renamed <em>and</em> given another name is the
 *       deletion of one cluster and the creation of another.</li>
 *   <li>Duplicate names and overlapping VPC blocks within a region are rejected; the definition
 *       that was accepted first stays, and between new definitions none wins.</li>
 *   <li>Those two rules are level-triggered: the unchanged files that define no accepted cluster
 *       ({@link StandingRejections}) are planned again with every commit, so a definition takes effect in the
 *       commit that removes its conflict. While it stays rejected nothing is emitted for it again.</li>
 *   <li>Removing the file of a cluster with {@code deletionProtection: true} is rejected.</li>
 *   <li>Every accepted change (deletion included) bumps the cluster's generation; a new cluster starts
 *       above every generation the branch has given out, so that one created again after its deletion
 *       still moves forward.</li>
 * </ul>
 */
public final class ChangePlanner {

    private final ObjectMapper mapper = EventJson.newMapper();

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
        return new Run(state, push, existsAtHead, standing).plan(files);
    }

    /** The working memory of one plan. */
    private final class Run {

        private final BranchState state;
        private final PushContext push;
        private final Predicate<String> existsAtHead;
        // Keyed by the event's file so that events come out in file order, whatever the diff order.
        private final TreeMap<String, List<ClusterEvent>> eventsByFile = new TreeMap<>();
        private final Map<String, ChangePlan.StateChange> stateChanges = new LinkedHashMap<>();
        /** Clusters whose fate this commit has settled (updated, moved, kept), so no deletion touches them. */
        private final Set<String> settled = new HashSet<>();
        private final List<ChangedFile> standing;
        /** Paths of the standing files: their rejections were reported when the file changed, so are not repeated. */
        private final Set<String> standingPaths = new HashSet<>();
        private long highest;

        Run(BranchState state, PushContext push, Predicate<String> existsAtHead, List<ChangedFile> standing) {
            this.state = state;
            this.push = push;
            this.existsAtHead = existsAtHead;
            this.standing = standing;
            standing.forEach(f -> standingPaths.add(f.change().newPath()));
            this.highest = state.highestGeneration();
        }

        ChangePlan plan(List<ChangedFile> changed) {
            List<ChangedFile> files = new ArrayList<>(changed);
            files.addAll(standing);
            List<ChangedFile> sorted = files.stream()
                    .sorted(Comparator.comparing(f -> f.change().newPath() != null ? f.change().newPath() : f.change().oldPath()))
                    .toList();
            Map<String, List<Candidate>> candidatesByName = new TreeMap<>();
            for (ChangedFile file : sorted) {
                if (file.change().kind() != FileChange.Kind.DELETED) {
                    candidate(file).ifPresent(c -> candidatesByName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c));
                }
            }
            List<Candidate> creations = new ArrayList<>();
            for (List<Candidate> sameName : candidatesByName.values()) {
                resolve(sameName).ifPresent(creations::add);
            }
            for (ChangedFile file : sorted) {
                if (file.change().oldPath() != null && file.change().kind() != FileChange.Kind.MODIFIED) {
                    removed(file.change().oldPath());
                }
            }
            // Creations last: a cluster deleted in the same commit frees its VPC block.
            createUnlessOverlapping(creations);
            List<ClusterEvent> events = new ArrayList<>();
            eventsByFile.values().forEach(events::addAll);
            return new ChangePlan(push.key(), push.head().id(), highest, events, List.copyOf(stateChanges.values()));
        }

        /** A valid new file version, or empty when the file was rejected (the rejection is recorded). */
        private Optional<Candidate> candidate(ChangedFile file) {
            FileChange change = file.change();
            ValidationResult result = file.validation();
            // The cluster this file version replaces: same path when modified, or the source of a rename.
            // An addition at a path that has a cluster happens when comparing a whole tree with the state.
            Optional<AcceptedCluster> prior = state.clusterAt(change.kind() == FileChange.Kind.RENAMED
                    ? change.oldPath() : change.newPath());
            if (!result.isValid()) {
                String name = result.clusterName() != null ? result.clusterName()
                        : prior.map(AcceptedCluster::name).orElse(change.newPath());
                reject(change.newPath(), name, labelsOf(prior), prior, result.problems());
                prior.ifPresent(p -> keep(p, change.newPath()));
                return Optional.empty();
            }
            ClusterDefinition definition = result.definition();
            boolean samePath = change.kind() != FileChange.Kind.RENAMED;
            if (prior.isPresent() && samePath && !prior.get().name().equals(definition.name())) {
                reject(change.newPath(), definition.name(), definition.metadata().labels(), prior,
                        RepositoryRules.immutableFieldChanges(change.newPath(), prior.get().definition(), definition,
                                result.locations()));
                keep(prior.get(), change.newPath());
                return Optional.empty();
            }
            String previousPath = change.kind() == FileChange.Kind.RENAMED ? change.oldPath() : null;
            return Optional.of(new Candidate(definition.name(), change.newPath(), previousPath, definition,
                    result.locations()));
        }

        /**
         * Settles the candidates that name one cluster: at most one of them may define it. Returns a
         * candidate that creates a new cluster, for {@link #create} after all deletions are known.
         */
        private Optional<Candidate> resolve(List<Candidate> sameName) {
            String name = sameName.get(0).name();
            Optional<AcceptedCluster> existing = state.cluster(name);
            if (existing.isPresent() && settled.contains(name)) {
                // Its own file was rejected in this commit and keeps it; any other file naming it is a duplicate.
                String heldAt = Optional.ofNullable(stateChanges.get(name)).map(ChangePlan.StateChange::upsert)
                        .map(AcceptedCluster::path).orElse(existing.get().path());
                for (Candidate c : sameName) {
                    reject(c.path(), name, c.definition().metadata().labels(), existing,
                            List.of(RepositoryRules.duplicateName(c.path(), name, heldAt, c.locations())));
                }
                return Optional.empty();
            }
            List<Candidate> owners = existing.map(e -> sameName.stream().filter(c -> c.continues(e.path())).toList())
                    .orElse(List.of());
            Candidate chosen;
            if (owners.size() == 1) {
                chosen = owners.get(0);
                rejectOthers(sameName, chosen);
            } else if (sameName.size() == 1) {
                chosen = sameName.get(0);
            } else {
                // Several new files claim one name and none of them is its current file: none wins.
                Optional<String> heldAt = existing.map(AcceptedCluster::path).filter(existsAtHead);
                for (Candidate c : sameName) {
                    String other = heldAt.orElseGet(() -> sameName.stream().filter(o -> o != c).findFirst().orElseThrow().path());
                    reject(c.path(), name, c.definition().metadata().labels(), existing,
                            List.of(RepositoryRules.duplicateName(c.path(), name, other, c.locations())));
                }
                existing.ifPresent(e -> settled.add(e.name()));
                return Optional.empty();
            }
            if (existing.isEmpty()) {
                return Optional.of(chosen);
            }
            AcceptedCluster current = existing.get();
            String movedFrom = chosen.continues(current.path()) ? chosen.previousPath() : current.path();
            if (!chosen.continues(current.path()) && existsAtHead.test(current.path())) {
                reject(chosen.path(), name, chosen.definition().metadata().labels(), existing,
                        List.of(RepositoryRules.duplicateName(chosen.path(), name, current.path(), chosen.locations())));
                settled.add(name);
                return Optional.empty();
            }
            update(current, chosen, movedFrom);
            return Optional.empty();
        }

        private void rejectOthers(List<Candidate> sameName, Candidate chosen) {
            for (Candidate c : sameName) {
                if (c != chosen) {
                    reject(c.path(), c.name(), c.definition().metadata().labels(), state.cluster(c.name()),
                            List.of(RepositoryRules.duplicateName(c.path(), c.name(), chosen.path(), c.locations())));
                }
            }
        }

        private void update(AcceptedCluster current, Candidate chosen, String movedFrom) {
            settled.add(current.name());
            List<ValidationProblem> problems = RepositoryRules.changeProblems(chosen.path(),
                    current.definition(), chosen.definition(), chosen.locations());
            if (!problems.isEmpty()) {
                reject(chosen.path(), current.name(), chosen.definition().metadata().labels(), Optional.of(current), problems);
                keep(current, chosen.path());
                return;
            }
            JsonNode before = mapper.valueToTree(current.definition());
            JsonNode after = mapper.valueToTree(chosen.definition());
            List<FieldChange> changes = ClusterDiff.between(before, after);
            String previousPath = chosen.path().equals(current.path()) ? null : movedFrom;
            if (changes.isEmpty()) {
                // Same content, maybe another file: nothing for downstream, but remember where it lives now.
                keep(current, chosen.path());
                return;
            }
            long generation = current.generation() + 1;
            highest = Math.max(highest, generation);
            EventHeader header = header(chosen.path(), current.name(), generation, chosen.definition().metadata().labels());
            addEvent(chosen.path(), new ClusterDefinitionUpdated(header, git(chosen.path(), previousPath),
                    chosen.definition(), changes));
            stateChanges.put(current.name(), ChangePlan.StateChange.put(
                    new AcceptedCluster(current.name(), chosen.path(), generation, chosen.definition(), push.head().id())));
        }

        /** The file at {@code path} is gone: its cluster is deleted unless something else settled it. */
        private void removed(String path) {
            Optional<AcceptedCluster> cluster = state.clusterAt(path);
            if (cluster.isEmpty() || settled.contains(cluster.get().name())) {
                return;
            }
            AcceptedCluster c = cluster.get();
            settled.add(c.name());
            if (c.definition().spec().deletionProtection()) {
                reject(path, c.name(), c.definition().metadata().labels(), cluster,
                        List.of(RepositoryRules.deletionProtected(path, c.definition())));
                return;
            }
            long generation = c.generation() + 1;
            highest = Math.max(highest, generation);
            addEvent(path, new ClusterDefinitionDeleted(header(path, c.name(), generation, c.definition().metadata().labels()),
                    git(path, null), c.definition()));
            stateChanges.put(c.name(), ChangePlan.StateChange.remove(c.name()));
        }

        /**
         * Creates the new clusters whose VPC block overlaps no accepted one nor one another. Among new
         * definitions none was accepted first, so an overlap between two of them rejects both, as a duplicate
         * name does; path order must not pick a winner.
         */
        private void createUnlessOverlapping(List<Candidate> creations) {
            CidrIndex accepted = CidrIndex.of(acceptedAfterChanges());
            List<Candidate> clear = new ArrayList<>();
            for (Candidate c : creations) {
                RepositoryRules.cidrOverlap(c.path(), c.definition(), accepted, c.locations())
                        .ifPresentOrElse(problem -> rejectCreation(c, problem), () -> clear.add(c));
            }
            CidrIndex newcomers = CidrIndex.of(clear.stream().map(Candidate::definition).toList());
            for (Candidate c : clear) {
                RepositoryRules.cidrOverlap(c.path(), c.definition(), newcomers, c.locations())
                        .ifPresentOrElse(problem -> rejectCreation(c, problem), () -> create(c));
            }
        }

        /** The accepted definitions once this plan's deletions and updates are applied. */
        private Collection<ClusterDefinition> acceptedAfterChanges() {
            Map<String, ClusterDefinition> accepted = new HashMap<>();
            state.clusters().forEach(a -> accepted.put(a.name(), a.definition()));
            stateChanges.values().forEach(s -> {
                if (s.upsert() != null) {
                    accepted.put(s.name(), s.upsert().definition());
                } else {
                    accepted.remove(s.name());
                }
            });
            return accepted.values();
        }

        private void rejectCreation(Candidate c, ValidationProblem problem) {
            reject(c.path(), c.name(), c.definition().metadata().labels(), Optional.empty(), List.of(problem));
        }

        private void create(Candidate c) {
            long generation = ++highest;
            addEvent(c.path(), new ClusterDefinitionCreated(header(c.path(), c.name(), generation,
                    c.definition().metadata().labels()),
                    // previousPath names the same cluster's earlier file; a new cluster has none, even when its
                    // file was renamed from another cluster's (that one is deleted in this plan).
                    git(c.path(), null), c.definition()));
            stateChanges.put(c.name(), ChangePlan.StateChange.put(
                    new AcceptedCluster(c.name(), c.path(), generation, c.definition(), push.head().id())));
        }

        /** The cluster stays as it is; only where its file now lives may change. */
        private void keep(AcceptedCluster cluster, String path) {
            settled.add(cluster.name());
            if (!cluster.path().equals(path)) {
                stateChanges.put(cluster.name(), ChangePlan.StateChange.put(cluster.movedTo(path)));
            }
        }

        private void reject(String path, String key, Map<String, String> labels, Optional<AcceptedCluster> current,
                            List<ValidationProblem> problems) {
            if (standingPaths.contains(path)) {
                // Unchanged and still rejected: reported when its file last changed, so no news for anyone.
                return;
            }
            long generation = current.map(AcceptedCluster::generation).orElse(0L);
            addEvent(path, new ClusterDefinitionRejected(header(path, key, generation, labels), git(path, null), problems));
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

    private static Map<String, String> labelsOf(Optional<AcceptedCluster> cluster) {
        return cluster.map(c -> c.definition().metadata().labels()).orElse(Map.of());
    }

    /** A valid new version of a file, defining cluster {@code name}. */
    private record Candidate(String name, String path, String previousPath, ClusterDefinition definition,
                             LocationIndex locations) {

        /** Whether this file version is the continuation of the file at {@code path} (same file or renamed from it). */
        boolean continues(String path) {
            return this.path.equals(path) || path.equals(previousPath);
        }
    }
}
