package io.k0rdent.ops.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.validation.LocationIndex;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
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
 * Decides what one commit means for the accepted definitions: which clusters are created, updated, deleted or left
 * as they were, and which changes are rejected. Pure: plain data in, {@link Verdict}s out. The gitwatcher turns the
 * verdicts into events; {@code k0ops plan} into a plan with instances and cost. One implementation, so the two agree.
 *
 * <p>Rules, in the words of the contract:
 * <ul>
 *   <li>A cluster is identified by its name. A file moved (renamed, or deleted and re-added elsewhere)
 *       with the same name is the same cluster; without a content change it is unchanged.</li>
 *   <li>A file that does not validate is rejected and the cluster it defined keeps its last valid
 *       definition: an unreadable file is never taken for a deletion.</li>
 *   <li>Changing a file's {@code metadata.name}, {@code spec.region} or {@code spec.networking.vpcCidr}
 *       is rejected with the old and new values. A file renamed <em>and</em> given another name is the
 *       deletion of one cluster and the creation of another.</li>
 *   <li>An upgrade of {@code spec.k0s.version} that skips a Kubernetes minor is rejected.</li>
 *   <li>Duplicate names and overlapping VPC blocks within a region are rejected; the definition
 *       that was accepted first stays, and between new definitions none wins.</li>
 *   <li>Those two rules are level-triggered: the unchanged files that define no accepted cluster
 *       ({@link StandingRejections}) are planned again with every commit, so a definition takes effect in the
 *       commit that removes its conflict. While it stays rejected its verdict is marked repeated.</li>
 *   <li>Removing the file of a cluster with {@code deletionProtection: true} is rejected.</li>
 * </ul>
 */
public final class CommitRules {

    private final ObjectMapper mapper = EventJson.newMapper();

    /**
     * @param accepted     the accepted definitions before the commit
     * @param changed      the definition files the commit changed
     * @param standing     the unchanged files at the head that define no accepted cluster ({@link StandingRejections})
     * @param existsAtHead whether a path exists as a file at the head
     * @return the verdicts in the order they were decided
     */
    public List<Verdict> decide(AcceptedDefinitions accepted, List<DefinitionChange> changed,
                                List<DefinitionChange> standing, Predicate<String> existsAtHead) {
        return new Run(accepted, existsAtHead, standing).decide(changed);
    }

    /**
     * Compares a whole tree with the accepted definitions, as if every file had changed: what {@code k0ops plan}
     * needs for a working copy. A file at an accepted cluster's path is a modification of it, any other an
     * addition, and an accepted cluster's file that is not in the tree a deletion. Rejections are all reported,
     * none marked repeated: a plan shows every file that would be refused.
     *
     * @param tree every definition file at the head, path to its validation
     */
    public List<Verdict> decideTree(AcceptedDefinitions accepted, Map<String, ValidationResult> tree) {
        List<DefinitionChange> changes = new ArrayList<>();
        tree.forEach((path, validation) -> changes.add(accepted.clusterAt(path).isPresent()
                ? DefinitionChange.modified(path, validation) : DefinitionChange.added(path, validation)));
        for (AcceptedDefinition a : accepted.clusters()) {
            if (!tree.containsKey(a.path())) {
                changes.add(DefinitionChange.deleted(a.path()));
            }
        }
        return decide(accepted, changes, List.of(), tree::containsKey);
    }

    /** The working memory of one decision. */
    private final class Run {

        private final AcceptedDefinitions state;
        private final Predicate<String> existsAtHead;
        private final List<Verdict> verdicts = new ArrayList<>();
        /** What the verdicts so far do to the accepted definitions: name to its new version, or null when deleted. */
        private final Map<String, AcceptedDefinition> outcome = new LinkedHashMap<>();
        /** Clusters whose fate this commit has settled (updated, moved, kept), so no deletion touches them. */
        private final Set<String> settled = new HashSet<>();
        private final List<DefinitionChange> standing;
        /** Paths of the standing files: their rejections were reported when the file changed, so are repeated. */
        private final Set<String> standingPaths = new HashSet<>();

        Run(AcceptedDefinitions state, Predicate<String> existsAtHead, List<DefinitionChange> standing) {
            this.state = state;
            this.existsAtHead = existsAtHead;
            this.standing = standing;
            standing.forEach(f -> standingPaths.add(f.newPath()));
        }

        List<Verdict> decide(List<DefinitionChange> changed) {
            List<DefinitionChange> files = new ArrayList<>(changed);
            files.addAll(standing);
            List<DefinitionChange> sorted = files.stream().sorted(Comparator.comparing(DefinitionChange::path)).toList();
            Map<String, List<Candidate>> candidatesByName = new TreeMap<>();
            for (DefinitionChange file : sorted) {
                if (file.kind() != DefinitionChange.Kind.DELETED) {
                    candidate(file).ifPresent(c -> candidatesByName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c));
                }
            }
            List<Candidate> creations = new ArrayList<>();
            for (List<Candidate> sameName : candidatesByName.values()) {
                resolve(sameName).ifPresent(creations::add);
            }
            for (DefinitionChange file : sorted) {
                if (file.oldPath() != null && file.kind() != DefinitionChange.Kind.MODIFIED) {
                    removed(file.oldPath());
                }
            }
            // Creations last: a cluster deleted in the same commit frees its VPC block.
            createUnlessOverlapping(creations);
            return List.copyOf(verdicts);
        }

        /** A valid new file version, or empty when the file was rejected (the rejection is recorded). */
        private Optional<Candidate> candidate(DefinitionChange change) {
            ValidationResult result = change.validation();
            // The cluster this file version replaces: same path when modified, or the source of a rename.
            // An addition at a path that has a cluster happens when comparing a whole tree with the state.
            Optional<AcceptedDefinition> prior = state.clusterAt(change.kind() == DefinitionChange.Kind.RENAMED
                    ? change.oldPath() : change.newPath());
            if (!result.isValid()) {
                String name = result.clusterName() != null ? result.clusterName()
                        : prior.map(AcceptedDefinition::name).orElse(change.newPath());
                reject(change.newPath(), name, labelsOf(prior), prior, result.problems());
                prior.ifPresent(p -> keep(p, change.newPath()));
                return Optional.empty();
            }
            ClusterDefinition definition = result.definition();
            boolean samePath = change.kind() != DefinitionChange.Kind.RENAMED;
            if (prior.isPresent() && samePath && !prior.get().name().equals(definition.name())) {
                reject(change.newPath(), definition.name(), definition.metadata().labels(), prior,
                        RepositoryRules.immutableFieldChanges(change.newPath(), prior.get().definition(), definition,
                                result.locations()));
                keep(prior.get(), change.newPath());
                return Optional.empty();
            }
            String previousPath = change.kind() == DefinitionChange.Kind.RENAMED ? change.oldPath() : null;
            return Optional.of(new Candidate(definition.name(), change.newPath(), previousPath, definition,
                    result.locations()));
        }

        /**
         * Settles the candidates that name one cluster: at most one of them may define it. Returns a
         * candidate that creates a new cluster, for {@link #create} after all deletions are known.
         */
        private Optional<Candidate> resolve(List<Candidate> sameName) {
            String name = sameName.get(0).name();
            Optional<AcceptedDefinition> existing = state.cluster(name);
            if (existing.isPresent() && settled.contains(name)) {
                // Its own file was rejected in this commit and keeps it; any other file naming it is a duplicate.
                String heldAt = Optional.ofNullable(outcome.get(name)).map(AcceptedDefinition::path)
                        .orElse(existing.get().path());
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
                Optional<String> heldAt = existing.map(AcceptedDefinition::path).filter(existsAtHead);
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
            AcceptedDefinition current = existing.get();
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

        private void update(AcceptedDefinition current, Candidate chosen, String movedFrom) {
            settled.add(current.name());
            List<ValidationProblem> problems = RepositoryRules.changeProblems(chosen.path(),
                    current.definition(), chosen.definition(), chosen.locations());
            if (!problems.isEmpty()) {
                reject(chosen.path(), current.name(), chosen.definition().metadata().labels(), Optional.of(current),
                        problems);
                keep(current, chosen.path());
                return;
            }
            JsonNode before = mapper.valueToTree(current.definition());
            JsonNode after = mapper.valueToTree(chosen.definition());
            List<FieldChange> changes = ClusterDiff.between(before, after);
            if (changes.isEmpty()) {
                // Same content, maybe another file: nothing for downstream, but remember where it lives now.
                keep(current, chosen.path());
                return;
            }
            String previousPath = chosen.path().equals(current.path()) ? null : movedFrom;
            verdicts.add(new Verdict.Update(current.name(), chosen.path(), previousPath, chosen.definition(), changes));
            outcome.put(current.name(), new AcceptedDefinition(current.name(), chosen.path(), chosen.definition()));
        }

        /** The file at {@code path} is gone: its cluster is deleted unless something else settled it. */
        private void removed(String path) {
            Optional<AcceptedDefinition> cluster = state.clusterAt(path);
            if (cluster.isEmpty() || settled.contains(cluster.get().name())) {
                return;
            }
            AcceptedDefinition c = cluster.get();
            settled.add(c.name());
            if (c.definition().spec().deletionProtection()) {
                reject(path, c.name(), c.definition().metadata().labels(), cluster,
                        List.of(RepositoryRules.deletionProtected(path, c.definition())));
                verdicts.add(new Verdict.Unchanged(c.name(), c.path()));
                return;
            }
            verdicts.add(new Verdict.Delete(c.name(), path, c.definition()));
            outcome.put(c.name(), null);
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

        /** The accepted definitions once this commit's deletions and updates are applied. */
        private Collection<ClusterDefinition> acceptedAfterChanges() {
            Map<String, ClusterDefinition> accepted = new HashMap<>();
            state.clusters().forEach(a -> accepted.put(a.name(), a.definition()));
            outcome.forEach((name, next) -> {
                if (next != null) {
                    accepted.put(name, next.definition());
                } else {
                    accepted.remove(name);
                }
            });
            return accepted.values();
        }

        private void rejectCreation(Candidate c, ValidationProblem problem) {
            reject(c.path(), c.name(), c.definition().metadata().labels(), Optional.empty(), List.of(problem));
        }

        private void create(Candidate c) {
            verdicts.add(new Verdict.Create(c.name(), c.path(), c.definition()));
            outcome.put(c.name(), new AcceptedDefinition(c.name(), c.path(), c.definition()));
        }

        /** The cluster stays as it is; only where its file now lives may change. */
        private void keep(AcceptedDefinition cluster, String path) {
            settled.add(cluster.name());
            verdicts.add(new Verdict.Unchanged(cluster.name(), path));
            if (!cluster.path().equals(path)) {
                outcome.put(cluster.name(), cluster.movedTo(path));
            }
        }

        private void reject(String path, String key, Map<String, String> labels, Optional<AcceptedDefinition> current,
                            List<ValidationProblem> problems) {
            // Unchanged and still rejected: reported when its file last changed.
            boolean repeated = standingPaths.contains(path);
            verdicts.add(new Verdict.Rejected(key, path, current.map(AcceptedDefinition::name).orElse(null), labels,
                    problems, repeated));
        }
    }

    private static Map<String, String> labelsOf(Optional<AcceptedDefinition> cluster) {
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
