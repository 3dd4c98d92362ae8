package io.k0rdent.ops.gitwatcher.state;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.git.CommitInfo;
import io.k0rdent.ops.gitwatcher.git.FileChange;
import io.k0rdent.ops.gitwatcher.validation.DefinitionFileValidator;
import io.k0rdent.ops.rules.ClusterYaml;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChangePlannerTest {

    private static final WatchKey KEY = new WatchKey("https://git.example.com/clusters.git", "main");
    private static final DefinitionFileValidator VALIDATOR = new DefinitionFileValidator();

    private final ChangePlanner planner = new ChangePlanner();
    private final BranchState state = new BranchState();
    /** The definition files at the head, with the validation of their content, as the syncer would read them. */
    private final Map<String, ValidationResult> tree = new HashMap<>();
    private int commits;

    /** Plans a commit with the given changes, applies it and returns its events. */
    private ChangePlan commit(ChangedFile... files) {
        return commitAs(String.format("%040x", ++commits), files);
    }

    /** A push whose head is {@code id}: an earlier commit again after a force-push, for example. */
    private ChangePlan commitAs(String id, ChangedFile... files) {
        for (ChangedFile f : files) {
            if (f.change().oldPath() != null) {
                tree.remove(f.change().oldPath());
            }
            if (f.change().newPath() != null) {
                tree.put(f.change().newPath(), f.validation());
            }
        }
        PushContext push = new PushContext(KEY, new CommitInfo(id, "Ada Lovelace", "ada@example.com", "change " + commits,
                Instant.parse("2026-11-25T09:30:00Z")), List.of(id));
        List<FileChange> atHead = new TreeMap<>(tree).keySet().stream().map(p -> FileChange.added(p, "blob")).toList();
        List<ChangedFile> standing = StandingRejections.select(state, atHead,
                        Arrays.stream(files).map(ChangedFile::change).toList()).stream()
                .map(f -> new ChangedFile(f, tree.get(f.newPath()))).toList();
        ChangePlan plan = planner.plan(state, push, List.of(files), standing, tree::containsKey);
        state.apply(plan);
        return plan;
    }

    private static ChangedFile added(String path, ClusterYaml c) {
        return new ChangedFile(FileChange.added(path, "blob"), VALIDATOR.validate(path, bytes(c.yaml())));
    }

    private static ChangedFile added(String path, String text) {
        return new ChangedFile(FileChange.added(path, "blob"), VALIDATOR.validate(path, bytes(text)));
    }

    private static ChangedFile modified(String path, ClusterYaml c) {
        return modified(path, c.yaml());
    }

    private static ChangedFile modified(String path, String text) {
        return new ChangedFile(FileChange.modified(path, "blob"), VALIDATOR.validate(path, bytes(text)));
    }

    private static ChangedFile renamed(String from, String to, ClusterYaml c) {
        return new ChangedFile(FileChange.renamed(from, to, "blob"), VALIDATOR.validate(to, bytes(c.yaml())));
    }

    private static ChangedFile deleted(String path) {
        return new ChangedFile(FileChange.deleted(path), null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ClusterDefinitionRejected onlyRejection(ChangePlan plan) {
        assertThat(plan.events()).hasSize(1).first().isInstanceOf(ClusterDefinitionRejected.class);
        return (ClusterDefinitionRejected) plan.events().get(0);
    }

    @Test
    void createsOneEventPerNewClusterKeyedByNameWithGitFacts() {
        ChangePlan plan = commit(added("clusters/a.yaml", cluster("a")), added("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16")));

        assertThat(plan.events()).hasSize(2).allMatch(e -> e instanceof ClusterDefinitionCreated);
        ClusterDefinitionCreated a = (ClusterDefinitionCreated) plan.events().get(0);
        assertThat(a.key()).isEqualTo("a");
        assertThat(a.header().generation()).isEqualTo(1);
        assertThat(a.header().initiator().name()).isEqualTo("Ada Lovelace");
        assertThat(a.header().labels()).containsEntry("team", "engineering");
        assertThat(a.header().eventId()).isEqualTo(EventIds.fromParts(KEY.repository(), KEY.branch(), plan.commit(),
                "clusters/a.yaml", "a", "1"));
        assertThat(a.git().path()).isEqualTo("clusters/a.yaml");
        assertThat(a.git().message()).isEqualTo("change 1");
        assertThat(a.definition().spec().nodes().workers().count()).isEqualTo(3);
        assertThat(state.size()).isEqualTo(2);
        assertThat(plan.stateChanges()).hasSize(2);
    }

    @Test
    void updateCarriesFieldDiffAndBumpsGeneration() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(modified("clusters/a.yaml", cluster("a").withWorkers(5).withTeam("platform")));

        assertThat(plan.events()).hasSize(1);
        ClusterDefinitionUpdated updated = (ClusterDefinitionUpdated) plan.events().get(0);
        assertThat(updated.header().generation()).isEqualTo(2);
        assertThat(updated.changes()).extracting(FieldChange::path)
                .containsExactly("$.metadata.labels.team", "$.spec.nodes.workers.count");
        FieldChange workers = updated.changes().get(1);
        assertThat(workers.oldValue().asInt()).isEqualTo(3);
        assertThat(workers.newValue().asInt()).isEqualTo(5);
        assertThat(state.cluster("a").orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void contentWithoutDefinitionChangeEmitsNothing() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(modified("clusters/a.yaml", "# a comment\n" + cluster("a").yaml()));

        assertThat(plan.events()).isEmpty();
        assertThat(plan.stateChanges()).isEmpty();
    }

    @Test
    void deleteEmitsLastDefinitionAndTombstones() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(deleted("clusters/a.yaml"));

        ClusterDefinitionDeleted deletedEvent = (ClusterDefinitionDeleted) plan.events().get(0);
        assertThat(deletedEvent.lastDefinition().name()).isEqualTo("a");
        assertThat(deletedEvent.header().generation()).isEqualTo(2);
        assertThat(plan.stateChanges()).containsExactly(ChangePlan.StateChange.remove("a"));
        assertThat(state.cluster("a")).isEmpty();
    }

    @Test
    void recreatedClusterContinuesAboveItsOldGeneration() {
        commit(added("clusters/a.yaml", cluster("a")));
        commit(modified("clusters/a.yaml", cluster("a").withWorkers(4)));
        commit(deleted("clusters/a.yaml"));
        ChangePlan plan = commit(added("clusters/a.yaml", cluster("a")));

        assertThat(plan.events().get(0).header().generation()).isGreaterThan(3);
    }

    @Test
    void renameWithoutContentChangeEmitsNothingButMovesTheCluster() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(renamed("clusters/a.yaml", "clusters/prod/a.yaml", cluster("a")));

        assertThat(plan.events()).isEmpty();
        assertThat(state.cluster("a").orElseThrow().path()).isEqualTo("clusters/prod/a.yaml");
        assertThat(state.clusterAt("clusters/a.yaml")).isEmpty();
    }

    @Test
    void renameWithContentChangeIsAnUpdateWithThePreviousPath() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(renamed("clusters/a.yaml", "clusters/prod/a.yaml", cluster("a").withWorkers(4)));

        ClusterDefinitionUpdated updated = (ClusterDefinitionUpdated) plan.events().get(0);
        assertThat(updated.git().path()).isEqualTo("clusters/prod/a.yaml");
        assertThat(updated.git().previousPath()).isEqualTo("clusters/a.yaml");
    }

    @Test
    void renameThatChangesTheNameDeletesOneClusterAndCreatesAnother() {
        commit(added("clusters/b.yaml", cluster("b")));
        ChangePlan plan = commit(renamed("clusters/b.yaml", "clusters/c.yaml", cluster("c")));

        assertThat(plan.events()).extracting(e -> e.getClass().getSimpleName() + ":" + e.key())
                .containsExactly("ClusterDefinitionDeleted:b", "ClusterDefinitionCreated:c");
    }

    @Test
    void fileMovedAsDeleteAndAddIsTheSameCluster() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(deleted("clusters/a.yaml"), added("clusters/eu/a.yaml", cluster("a")));

        assertThat(plan.events()).isEmpty();
        assertThat(state.cluster("a").orElseThrow().path()).isEqualTo("clusters/eu/a.yaml");
    }

    @Test
    void invalidFileIsRejectedAndTheLastValidDefinitionStays() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(modified("clusters/a.yaml", "apiVersion: k0rdent.io/v1alpha1\nkind: [unclosed\n"));

        ClusterDefinitionRejected rejected = onlyRejection(plan);
        assertThat(rejected.key()).isEqualTo("a");
        assertThat(rejected.problems()).isNotEmpty().allMatch(p -> p.file().equals("clusters/a.yaml"));
        assertThat(rejected.problems().get(0).rule()).isEqualTo(Rule.YAML_SYNTAX);
        assertThat(rejected.header().initiator().email()).isEqualTo("ada@example.com");
        assertThat(plan.stateChanges()).isEmpty();
        assertThat(state.cluster("a").orElseThrow().definition().spec().nodes().workers().count()).isEqualTo(3);
    }

    @Test
    void newUnparsableFileIsKeyedByPath() {
        ChangePlan plan = commit(added("clusters/x.yaml", "{{{"));

        assertThat(onlyRejection(plan).key()).isEqualTo("clusters/x.yaml");
    }

    @Test
    void aForcePushBackToAnEarlierCommitIsANewChangeWithItsOwnEventId() {
        // Issue 18: a cluster deleted and then brought back by force-pushing main to the commit that created it got
        // the same event id as its first creation, so every service downstream took it for a redelivery and the
        // notifier told no one.
        ChangePlan created = commit(added("clusters/a.yaml", cluster("a")));
        String creatingCommit = created.commit();
        commit(deleted("clusters/a.yaml"));
        ChangePlan rolledBack = commitAs(creatingCommit, added("clusters/a.yaml", cluster("a")));

        ClusterEvent first = created.events().get(0);
        ClusterEvent again = rolledBack.events().get(0);
        assertThat(again).isInstanceOf(ClusterDefinitionCreated.class);
        assertThat(again.header().gitCommit()).isEqualTo(first.header().gitCommit());
        assertThat(again.header().generation()).isGreaterThan(first.header().generation());
        assertThat(again.header().eventId()).isNotEqualTo(first.header().eventId());
    }

    @Test
    void anUpgradeSkippingAMinorVersionIsRejectedAndTheClusterKeepsItsVersion() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan skipping = commit(modified("clusters/a.yaml", cluster("a").withK0sVersion("1.30.2+k0s.0")));

        assertThat(onlyRejection(skipping).problems()).extracting(ValidationProblem::rule)
                .containsOnly(Rule.VERSION_SKEW);
        assertThat(state.cluster("a").orElseThrow().definition().spec().k0s().version()).isEqualTo("1.28.3+k0s.0");

        ChangePlan oneStep = commit(modified("clusters/a.yaml", cluster("a").withK0sVersion("1.29.1+k0s.0")));
        assertThat(oneStep.events()).noneMatch(ClusterDefinitionRejected.class::isInstance);
        assertThat(state.cluster("a").orElseThrow().definition().spec().k0s().version()).isEqualTo("1.29.1+k0s.0");
    }

    @Test
    void immutableFieldChangesAreRejectedWithOldAndNewValues() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(modified("clusters/a.yaml", cluster("a").withRegion("eu-west-1").withCidr("10.9.0.0/16")));

        ClusterDefinitionRejected rejected = onlyRejection(plan);
        assertThat(rejected.problems()).extracting(ValidationProblem::rule).containsOnly(Rule.IMMUTABLE_FIELD);
        assertThat(rejected.problems()).extracting(ValidationProblem::message).containsExactly(
                "spec.region cannot change: us-east-1 -> eu-west-1",
                "spec.networking.vpcCidr cannot change: 10.0.0.0/16 -> 10.9.0.0/16");
        ValidationProblem region = rejected.problems().get(0);
        assertThat(region.path()).isEqualTo("$.spec.region");
        assertThat(region.line()).isEqualTo(8);
        assertThat(state.cluster("a").orElseThrow().definition().spec().region()).isEqualTo("us-east-1");
    }

    @Test
    void renamingTheClusterInItsFileIsRejected() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(modified("clusters/a.yaml", cluster("a2")));

        ClusterDefinitionRejected rejected = onlyRejection(plan);
        assertThat(rejected.problems()).extracting(ValidationProblem::message)
                .containsExactly("metadata.name cannot change: a -> a2");
        assertThat(state.cluster("a")).isPresent();
        assertThat(state.cluster("a2")).isEmpty();
    }

    @Test
    void deletingAProtectedClusterIsRejectedAndItStays() {
        commit(added("clusters/a.yaml", cluster("a").withDeletionProtection(true)));
        ChangePlan plan = commit(deleted("clusters/a.yaml"));

        ClusterDefinitionRejected rejected = onlyRejection(plan);
        assertThat(rejected.problems().get(0).rule()).isEqualTo(Rule.DELETION_PROTECTED);
        assertThat(rejected.problems().get(0).file()).isEqualTo("clusters/a.yaml");
        assertThat(state.cluster("a")).isPresent();

        // Put back without protection, then removed: now it goes.
        commit(added("clusters/a.yaml", cluster("a")));
        assertThat(commit(deleted("clusters/a.yaml")).events().get(0)).isInstanceOf(ClusterDefinitionDeleted.class);
    }

    @Test
    void duplicateNameInAnotherFileIsRejected() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(added("clusters/copy.yaml", cluster("a").withCidr("10.5.0.0/16")));

        ClusterDefinitionRejected rejected = onlyRejection(plan);
        assertThat(rejected.git().path()).isEqualTo("clusters/copy.yaml");
        assertThat(rejected.problems().get(0).rule()).isEqualTo(Rule.DUPLICATE_NAME);
        assertThat(rejected.problems().get(0).message()).contains("clusters/a.yaml");
        assertThat(state.cluster("a").orElseThrow().path()).isEqualTo("clusters/a.yaml");
    }

    @Test
    void twoNewFilesWithOneNameAreBothRejected() {
        ChangePlan plan = commit(added("clusters/a.yaml", cluster("a")), added("clusters/b.yaml", cluster("a")));

        assertThat(plan.events()).hasSize(2).allMatch(e -> e instanceof ClusterDefinitionRejected);
        assertThat(state.size()).isZero();
    }

    @Test
    void overlappingVpcInTheSameRegionIsRejectedButNotAcrossRegions() {
        commit(added("clusters/a.yaml", cluster("a").withCidr("10.0.0.0/16")));
        ChangePlan plan = commit(added("clusters/b.yaml", cluster("b").withCidr("10.0.128.0/20")),
                added("clusters/c.yaml", cluster("c").withCidr("10.0.0.0/16").withRegion("eu-west-1")));

        List<ClusterEvent> events = new ArrayList<>(plan.events());
        assertThat(events).hasSize(2);
        ClusterDefinitionRejected b = (ClusterDefinitionRejected) events.get(0);
        assertThat(b.problems().get(0).rule()).isEqualTo(Rule.CIDR_OVERLAP);
        assertThat(b.problems().get(0).message()).contains("10.0.0.0/16").contains("cluster a");
        assertThat(events.get(1)).isInstanceOf(ClusterDefinitionCreated.class);
    }

    @Test
    void twoNewFilesWithOverlappingVpcsAreBothRejectedNamingEachOther() {
        // Neither was accepted first, so path order must not pick a winner (as for duplicate names).
        ChangePlan plan = commit(added("clusters/a.yaml", cluster("a").withCidr("10.0.0.0/16")),
                added("clusters/b.yaml", cluster("b").withCidr("10.0.128.0/20")));

        assertThat(plan.events()).hasSize(2).allMatch(e -> e instanceof ClusterDefinitionRejected);
        ClusterDefinitionRejected a = (ClusterDefinitionRejected) plan.events().get(0);
        ClusterDefinitionRejected b = (ClusterDefinitionRejected) plan.events().get(1);
        assertThat(a.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.CIDR_OVERLAP);
            assertThat(p.message()).contains("10.0.128.0/20").contains("cluster b");
        });
        assertThat(b.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.CIDR_OVERLAP);
            assertThat(p.message()).contains("10.0.0.0/16").contains("cluster a");
        });
        assertThat(state.size()).isZero();
    }

    @Test
    void duplicateNameTakesEffectWhenTheOtherFileIsRemoved() {
        commit(added("clusters/a.yaml", cluster("dup-new")), added("clusters/b.yaml", cluster("dup-new")));

        ChangePlan plan = commit(deleted("clusters/b.yaml"));

        assertThat(plan.events()).singleElement().isInstanceOfSatisfying(ClusterDefinitionCreated.class, c -> {
            assertThat(c.key()).isEqualTo("dup-new");
            assertThat(c.git().path()).isEqualTo("clusters/a.yaml");
            assertThat(c.git().commit()).isEqualTo(plan.commit());
        });
        assertThat(state.cluster("dup-new").orElseThrow().path()).isEqualTo("clusters/a.yaml");
    }

    @Test
    void duplicateOfAnAcceptedClusterTakesItOverWhenItsFileIsRemoved() {
        commit(added("clusters/a.yaml", cluster("a")));
        commit(added("clusters/copy.yaml", cluster("a").withWorkers(5)));

        ChangePlan plan = commit(deleted("clusters/a.yaml"));

        // The same name in another file: the cluster moves there (as a delete + add in one commit would).
        assertThat(plan.events()).singleElement().isInstanceOfSatisfying(ClusterDefinitionUpdated.class, u -> {
            assertThat(u.git().path()).isEqualTo("clusters/copy.yaml");
            assertThat(u.git().previousPath()).isEqualTo("clusters/a.yaml");
        });
        assertThat(state.cluster("a").orElseThrow().path()).isEqualTo("clusters/copy.yaml");
    }

    @Test
    void overlapTakesEffectInTheCommitThatDeletesTheOtherCluster() {
        commit(added("clusters/a.yaml", cluster("a").withCidr("10.0.0.0/16")));
        commit(added("clusters/b.yaml", cluster("b").withCidr("10.0.128.0/20")));

        ChangePlan plan = commit(deleted("clusters/a.yaml"));

        assertThat(plan.events()).extracting(e -> e.getClass().getSimpleName() + ":" + e.key())
                .containsExactly("ClusterDefinitionDeleted:a", "ClusterDefinitionCreated:b");
        assertThat(state.cluster("b")).isPresent();
    }

    @Test
    void overlapBetweenTwoNewFilesClearsWhenOneIsRemoved() {
        commit(added("clusters/a.yaml", cluster("a").withCidr("10.0.0.0/16")),
                added("clusters/b.yaml", cluster("b").withCidr("10.0.0.0/16")));

        ChangePlan plan = commit(deleted("clusters/a.yaml"));

        assertThat(plan.events()).extracting(e -> e.getClass().getSimpleName() + ":" + e.key())
                .containsExactly("ClusterDefinitionCreated:b");
    }

    @Test
    void aRejectionThatStillHoldsIsNotRepeatedByLaterCommits() {
        commit(added("clusters/a.yaml", cluster("a")), added("clusters/b.yaml", cluster("a")),
                added("clusters/broken.yaml", "kind: [\n"));

        ChangePlan plan = commit(added("clusters/c.yaml", cluster("c").withCidr("10.9.0.0/16")));

        assertThat(plan.events()).extracting(e -> e.getClass().getSimpleName() + ":" + e.key())
                .containsExactly("ClusterDefinitionCreated:c");
    }

    @Test
    void aNewFileNamingAStandingDuplicateIsRejectedToo() {
        commit(added("clusters/a.yaml", cluster("x")), added("clusters/b.yaml", cluster("x")));

        // Three files now claim x; the newcomer must not win just because the other two were rejected.
        ChangePlan plan = commit(added("clusters/c.yaml", cluster("x")));

        assertThat(onlyRejection(plan).problems().get(0).rule()).isEqualTo(Rule.DUPLICATE_NAME);
        assertThat(state.cluster("x")).isEmpty();
    }

    @Test
    void vpcOfAClusterDeletedInTheSameCommitIsFree() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit(deleted("clusters/a.yaml"), added("clusters/b.yaml", cluster("b")));

        assertThat(plan.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ClusterDefinitionDeleted", "ClusterDefinitionCreated");
    }

    @Test
    void emptyCommitOnlyMovesTheWatermark() {
        commit(added("clusters/a.yaml", cluster("a")));
        ChangePlan plan = commit();

        assertThat(plan.events()).isEmpty();
        assertThat(plan.stateChanges()).isEmpty();
        assertThat(state.watermark()).isEqualTo(plan.commit());
    }

    @Test
    void wholeTreeComparisonTurnsUnchangedFilesIntoNoOps() {
        commit(added("clusters/a.yaml", cluster("a")), added("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16")));
        // As after a lost mirror: every file at the head is "added" and compared with the state.
        ChangePlan plan = commit(added("clusters/a.yaml", cluster("a")),
                added("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16").withWorkers(6)));

        assertThat(plan.events()).hasSize(1).first().isInstanceOf(ClusterDefinitionUpdated.class);
    }

    @Test
    void sameCommitPlannedTwiceGivesIdenticalEvents() {
        ChangedFile a = added("clusters/a.yaml", cluster("a"));
        PushContext push = new PushContext(KEY, new CommitInfo("c".repeat(40), "Ada", null, "s", Instant.EPOCH), List.of("c".repeat(40)));

        ChangePlan first = planner.plan(state, push, List.of(a), p -> true);
        ChangePlan second = planner.plan(state, push, List.of(a), p -> true);

        assertThat(second.events()).isEqualTo(first.events());
    }
}
