package io.k0rdent.ops.k0ops.plan;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.git.CommitInfo;
import io.k0rdent.ops.gitwatcher.git.FileChange;
import io.k0rdent.ops.gitwatcher.state.AcceptedCluster;
import io.k0rdent.ops.gitwatcher.state.BranchState;
import io.k0rdent.ops.gitwatcher.state.ChangePlan;
import io.k0rdent.ops.gitwatcher.state.ChangePlanner;
import io.k0rdent.ops.gitwatcher.state.ChangedFile;
import io.k0rdent.ops.gitwatcher.state.PushContext;
import io.k0rdent.ops.gitwatcher.state.StandingRejections;
import io.k0rdent.ops.rules.ClusterYaml;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code k0ops plan} must say what the gitwatcher will do. Each case is a series of commits; every commit goes
 * through both paths from the same accepted state: the gitwatcher's ({@link ChangePlanner} over the changed files
 * and the standing ones, its plan then applied to its {@link BranchState}) and the plan's ({@link PlanCalculator}
 * given that state and the whole tree at the commit). The verdicts must be the same, commit after commit.
 *
 * <p>A verdict is {@code create x}, {@code update x [changed paths]}, {@code delete x} or {@code reject <rule>
 * <file>}. One difference is by design and taken out: the gitwatcher reports a rejection once, when the file changes
 * (a file left as it was gets no new event), while a plan shows every file of the working copy that would be
 * rejected; so the plan's rejections of files the commit leaves as they were are not compared.
 */
class RulesAgreementTest {

    private static final ClusterDefinitionValidator VALIDATOR = new ClusterDefinitionValidator(ValidationPolicy.defaults());
    private static final WatchKey KEY = new WatchKey("https://git.example.com/clusters.git", "main");

    // ---------------------------------------------------------------- the cases

    static Stream<Arguments> cases() {
        ClusterYaml a = cluster("a");
        ClusterYaml b = cluster("b").withCidr("10.1.0.0/16");
        return Stream.of(
                of("one new cluster", commit(put("clusters/a.yaml", a))),
                of("two new clusters", commit(put("clusters/a.yaml", a), put("clusters/b.yaml", b))),
                of("a file left as it was", commit(put("clusters/a.yaml", a)), commit(put("clusters/b.yaml", b))),
                of("a comment is no change", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", "# owned by platform\n" + a.yaml()))),
                of("workers scaled up", commit(put("clusters/a.yaml", a)), commit(put("clusters/a.yaml", a.withWorkers(5)))),
                of("workers scaled down", commit(put("clusters/a.yaml", a)), commit(put("clusters/a.yaml", a.withWorkers(1)))),
                of("an add-on enabled", commit(put("clusters/a.yaml", a)), commit(put("clusters/a.yaml", a.withIngress(true)))),
                of("an add-on disabled", commit(put("clusters/a.yaml", a.withIngress(true))),
                        commit(put("clusters/a.yaml", a.withIngress(false)))),
                of("a label changed", commit(put("clusters/a.yaml", a)), commit(put("clusters/a.yaml", a.withTeam("platform")))),
                of("a cluster deleted", commit(put("clusters/a.yaml", a)), commit(remove("clusters/a.yaml"))),
                of("deletion protection", commit(put("clusters/a.yaml", a.withDeletionProtection(true))), commit(remove("clusters/a.yaml")),
                        commit(put("clusters/b.yaml", b))),
                of("deletion protection lifted first", commit(put("clusters/a.yaml", a.withDeletionProtection(true))),
                        commit(put("clusters/a.yaml", a.withDeletionProtection(false))), commit(remove("clusters/a.yaml"))),
                of("metadata.name changed in its file", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.withName("z")))),
                of("metadata.name and region changed in its file", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.withName("z").withRegion("eu-west-1")))),
                of("file renamed and given another name", commit(put("clusters/a.yaml", a)),
                        commit(move("clusters/a.yaml", "clusters/z.yaml", a.withName("z")))),
                of("file moved, same name and content", commit(put("clusters/a.yaml", a)),
                        commit(move("clusters/a.yaml", "clusters/prod/a.yaml", a))),
                of("file moved and changed", commit(put("clusters/a.yaml", a)),
                        commit(move("clusters/a.yaml", "clusters/prod/a.yaml", a.withWorkers(4)))),
                of("file moved as delete and add", commit(put("clusters/a.yaml", a)),
                        commit(remove("clusters/a.yaml"), put("clusters/eu/a.yaml", a))),
                of("two new files with one name", commit(put("clusters/a.yaml", a), put("clusters/a2.yaml", a.withCidr("10.2.0.0/16")))),
                of("two new files with one name, one removed later",
                        commit(put("clusters/a.yaml", a), put("clusters/a2.yaml", a.withCidr("10.2.0.0/16"))),
                        commit(remove("clusters/a2.yaml"))),
                of("a duplicate of an existing cluster", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a-copy.yaml", a.withCidr("10.2.0.0/16")))),
                of("a rejected duplicate takes effect when the other file goes", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a-copy.yaml", a.withCidr("10.0.0.0/16").withWorkers(4))),
                        commit(put("clusters/b.yaml", b)),
                        commit(remove("clusters/a.yaml"))),
                of("CIDR overlap with an existing cluster", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/b.yaml", b.withCidr("10.0.128.0/17")))),
                of("two new files with overlapping CIDRs",
                        commit(put("clusters/a.yaml", a), put("clusters/b.yaml", b.withCidr("10.0.0.0/20")))),
                of("overlapping CIDRs in different regions",
                        commit(put("clusters/a.yaml", a), put("clusters/b.yaml", b.withCidr("10.0.0.0/16").withRegion("eu-west-1")))),
                of("a rejected overlap takes effect when the other cluster is deleted", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/b.yaml", b.withCidr("10.0.0.0/16"))),
                        commit(put("clusters/c.yaml", cluster("c").withCidr("10.3.0.0/16"))),
                        commit(remove("clusters/a.yaml"))),
                of("a deleted cluster frees its CIDR in the same commit", commit(put("clusters/a.yaml", a)),
                        commit(remove("clusters/a.yaml"), put("clusters/b.yaml", b.withCidr("10.0.0.0/16")))),
                of("version skew: a skipped minor", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.withK0sVersion("1.30.1+k0s.0")))),
                of("one minor at a time", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.withK0sVersion("1.29.4+k0s.0"))),
                        commit(put("clusters/a.yaml", a.withK0sVersion("1.30.1+k0s.0")))),
                of("a downgrade is the bootstrap's to judge", commit(put("clusters/a.yaml", a.withK0sVersion("1.29.4+k0s.0"))),
                        commit(put("clusters/a.yaml", a.withK0sVersion("1.28.3+k0s.0")))),
                of("broken YAML in a new file", commit(put("clusters/a.yaml", "metadata: [name: a\n"))),
                of("broken YAML keeps the cluster, then fixed", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", "metadata: [name: a\n")),
                        commit(put("clusters/b.yaml", b)),
                        commit(put("clusters/a.yaml", a.withWorkers(6)))),
                of("a schema violation", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.yaml().replace("  region:", "  colour: blue\n  region:")))),
                of("region changed", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.withRegion("eu-west-1")))),
                of("VPC CIDR changed", commit(put("clusters/a.yaml", a)),
                        commit(put("clusters/a.yaml", a.withCidr("10.9.0.0/16")))),
                of("created again after its deletion", commit(put("clusters/a.yaml", a)), commit(remove("clusters/a.yaml")),
                        commit(put("clusters/a.yaml", a.withWorkers(2)))),
                of("a new file reuses the name of a cluster deleted in the same commit", commit(put("clusters/a.yaml", a)),
                        commit(remove("clusters/a.yaml"), put("clusters/new-a.yaml", a.withWorkers(2)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thePlanSaysWhatTheGitwatcherDoes(String name, List<Commit> commits) {
        Repo repo = new Repo();
        int n = 0;
        for (Commit commit : commits) {
            n++;
            Map<String, String> before = new TreeMap<>(repo.tree);
            Map<String, AppliedCluster> applied = repo.applied();
            List<ChangedFile> changes = repo.apply(commit);
            Set<String> expected = fromGitwatcher(repo.gitwatcher(changes, n));
            Set<String> planned = fromPlan(new PlanCalculator(PlanFixtures.PRICES)
                    .plan(repo.validatedTree(), applied), before, repo.tree);
            assertThat(planned).as("commit %d of '%s'", n, name).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- verdicts

    private static Set<String> fromGitwatcher(ChangePlan plan) {
        Set<String> verdicts = new TreeSet<>();
        for (ClusterEvent event : plan.events()) {
            String cluster = event.header().clusterName();
            if (event instanceof ClusterDefinitionCreated) {
                verdicts.add("create " + cluster);
            } else if (event instanceof ClusterDefinitionUpdated u) {
                verdicts.add("update " + cluster + " " + u.changes().stream().map(FieldChange::path)
                        .map(p -> p.substring(2)).toList());
            } else if (event instanceof ClusterDefinitionDeleted) {
                verdicts.add("delete " + cluster);
            } else if (event instanceof ClusterDefinitionRejected r) {
                r.problems().forEach(p -> verdicts.add(rejection(p)));
            }
        }
        return verdicts;
    }

    private static Set<String> fromPlan(Plan plan, Map<String, String> before, Map<String, String> after) {
        Set<String> verdicts = new TreeSet<>();
        for (ClusterPlan cluster : plan.clusters()) {
            switch (cluster.action()) {
                case CREATE -> verdicts.add("create " + cluster.name());
                case UPDATE -> verdicts.add("update " + cluster.name() + " "
                        + cluster.changes().stream().map(ChangedField::path).toList());
                case DELETE -> verdicts.add("delete " + cluster.name());
                case UNCHANGED, INVALID -> { }
            }
        }
        for (ValidationProblem p : plan.problems()) {
            if (!Objects.equals(before.get(p.file()), after.get(p.file()))) {
                verdicts.add(rejection(p));
            }
        }
        return verdicts;
    }

    private static String rejection(ValidationProblem p) {
        return "reject " + p.rule().id() + " " + p.file();
    }

    // ---------------------------------------------------------------- the repository and the gitwatcher's side

    /** The tree at the head and the gitwatcher's accepted state, one commit after another. */
    private static final class Repo {

        final Map<String, String> tree = new TreeMap<>();
        final BranchState state = new BranchState();
        private final ChangePlanner planner = new ChangePlanner();

        Map<String, AppliedCluster> applied() {
            Map<String, AppliedCluster> applied = new TreeMap<>();
            for (AcceptedCluster c : state.clusters()) {
                applied.put(c.name(), new AppliedCluster(c.definition(), c.generation(), c.path(), KEY.repository()));
            }
            return applied;
        }

        /** Changes the tree; returns the changes as the gitwatcher's tree diff reports them. */
        List<ChangedFile> apply(Commit commit) {
            List<ChangedFile> changes = new ArrayList<>();
            for (Op op : commit.ops()) {
                if (op instanceof Put put) {
                    String previous = tree.put(put.path(), put.yaml());
                    if (!put.yaml().equals(previous)) {
                        FileChange change = previous == null ? FileChange.added(put.path(), "blob")
                                : FileChange.modified(put.path(), "blob");
                        changes.add(new ChangedFile(change, VALIDATOR.validate(put.path(), put.yaml())));
                    }
                } else if (op instanceof Remove remove) {
                    tree.remove(remove.path());
                    changes.add(new ChangedFile(FileChange.deleted(remove.path()), null));
                } else if (op instanceof Move move) {
                    tree.remove(move.from());
                    tree.put(move.to(), move.yaml());
                    changes.add(new ChangedFile(FileChange.renamed(move.from(), move.to(), "blob"),
                            VALIDATOR.validate(move.to(), move.yaml())));
                }
            }
            return changes;
        }

        ChangePlan gitwatcher(List<ChangedFile> changes, int n) {
            String id = String.format("%040x", n);
            PushContext push = new PushContext(KEY, new CommitInfo(id, "Ada", "ada@example.com", "commit " + n,
                    Instant.parse("2026-12-01T10:00:00Z")), List.of(id));
            List<FileChange> atHead = tree.keySet().stream().map(p -> FileChange.added(p, "blob")).toList();
            List<ChangedFile> standing = StandingRejections.select(state, atHead,
                            changes.stream().map(ChangedFile::change).toList()).stream()
                    .map(f -> new ChangedFile(f, VALIDATOR.validate(f.newPath(), tree.get(f.newPath())))).toList();
            ChangePlan plan = planner.plan(state, push, changes, standing, tree::containsKey);
            state.apply(plan);
            return plan;
        }

        List<ValidationResult> validatedTree() {
            return tree.entrySet().stream().map(e -> VALIDATOR.validate(e.getKey(), e.getValue())).toList();
        }
    }

    // ---------------------------------------------------------------- building cases

    private static Arguments of(String name, Commit... commits) {
        return Arguments.of(name, Arrays.asList(commits));
    }

    private static Commit commit(Op... ops) {
        return new Commit(List.of(ops));
    }

    private static Op put(String path, ClusterYaml cluster) {
        return new Put(path, cluster.yaml());
    }

    private static Op put(String path, String yaml) {
        return new Put(path, yaml);
    }

    private static Op remove(String path) {
        return new Remove(path);
    }

    private static Op move(String from, String to, ClusterYaml cluster) {
        return new Move(from, to, cluster.yaml());
    }

    record Commit(List<Op> ops) {
        @Override
        public String toString() {
            return ops.stream().map(Object::toString).collect(Collectors.joining(", "));
        }
    }

    sealed interface Op permits Put, Remove, Move {
    }

    record Put(String path, String yaml) implements Op {
    }

    record Remove(String path) implements Op {
    }

    record Move(String from, String to, String yaml) implements Op {
    }
}
