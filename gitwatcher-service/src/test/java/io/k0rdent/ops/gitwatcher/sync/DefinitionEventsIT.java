package io.k0rdent.ops.gitwatcher.sync;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.gitwatcher.support.GitFixture;
import io.k0rdent.ops.gitwatcher.support.GitwatcherApp;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Git remote, real broker, the service polling: what lands on the topics for each kind of push. */
@KafkaIntegrationTest
class DefinitionEventsIT {

    private static final Duration POLL = Duration.ofMillis(300);

    private static GitwatcherApp start(KafkaTestContext kafka, Path dir, GitFixture git) {
        return GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                List.of(GitwatcherApp.repository(git.remoteUrl(), "main", POLL)), Map.of());
    }

    /** The committed events of one processed head commit. */
    private static List<ClusterEvent> eventsOf(GitwatcherApp app, String commit) {
        return app.events().stream().filter(e -> commit.equals(e.header().gitCommit())).toList();
    }

    @Test
    void createUpdateRenameAndDelete(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a")).write("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16"))
                    .write("docs/notes.yaml", "not: a cluster\n");
            String created = git.commit("Add clusters a and b");
            git.push();
            try (GitwatcherApp app = start(kafka, dir, git)) {
                app.awaitProcessed(created);
                List<ClusterEvent> events = app.events();
                assertThat(events).hasSize(2).allMatch(e -> e instanceof ClusterDefinitionCreated);
                assertThat(events).extracting(ClusterEvent::key).containsExactlyInAnyOrder("a", "b");
                ClusterDefinitionCreated a = (ClusterDefinitionCreated) events.stream().filter(e -> e.key().equals("a")).findFirst().orElseThrow();
                assertThat(a.header().gitCommit()).isEqualTo(created);
                assertThat(a.header().initiator().email()).isEqualTo("ada@example.com");
                assertThat(a.git().repository()).isEqualTo(git.remoteUrl());
                assertThat(a.git().message()).isEqualTo("Add clusters a and b");

                git.write("clusters/a.yaml", cluster("a").withWorkers(5));
                String updated = git.commit("Scale a");
                git.push();
                app.awaitProcessed(updated);
                List<ClusterEvent> update = eventsOf(app, updated);
                assertThat(update).singleElement().isInstanceOfSatisfying(ClusterDefinitionUpdated.class, u -> {
                    assertThat(u.key()).isEqualTo("a");
                    assertThat(u.header().generation()).isGreaterThan(a.header().generation());
                    assertThat(u.changes()).extracting(FieldChange::path).containsExactly("$.spec.nodes.workers.count");
                    assertThat(u.changes().get(0).oldValue().asInt()).isEqualTo(3);
                    assertThat(u.changes().get(0).newValue().asInt()).isEqualTo(5);
                });

                git.move("clusters/b.yaml", "clusters/prod/b.yaml");
                String renamed = git.commit("Move b");
                git.push();
                app.awaitProcessed(renamed);
                assertThat(eventsOf(app, renamed)).as("a rename without content change emits nothing").isEmpty();

                git.delete("clusters/a.yaml");
                String deleted = git.commit("Remove a");
                git.push();
                app.awaitProcessed(deleted);
                assertThat(eventsOf(app, deleted)).singleElement().isInstanceOfSatisfying(ClusterDefinitionDeleted.class,
                        d -> assertThat(d.lastDefinition().spec().nodes().workers().count()).isEqualTo(5));
                assertThat(app.status().clusters()).isEqualTo(1);
            }
        }
    }

    @Test
    void multiCommitPushForcePushEmptyCommitAndDeletedBranch(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/x.yaml", cluster("x"));
            String first = git.commit("Add x");
            git.push();
            try (GitwatcherApp app = start(kafka, dir, git)) {
                app.awaitProcessed(first);

                // Three commits, one push: one net event per cluster, carrying the head and every commit.
                git.write("clusters/x.yaml", cluster("x").withWorkers(4));
                String c1 = git.commit("x to 4");
                git.write("clusters/x.yaml", cluster("x").withWorkers(5));
                String c2 = git.commit("x to 5");
                git.write("clusters/y.yaml", cluster("y").withCidr("10.2.0.0/16"));
                String c3 = git.commit("Add y");
                git.push();
                app.awaitProcessed(c3);
                List<ClusterEvent> push = eventsOf(app, c3);
                assertThat(push).hasSize(2);
                ClusterDefinitionUpdated x = (ClusterDefinitionUpdated) push.stream().filter(e -> e.key().equals("x")).findFirst().orElseThrow();
                assertThat(x.changes().get(0).oldValue().asInt()).isEqualTo(3);
                assertThat(x.changes().get(0).newValue().asInt()).isEqualTo(5);
                assertThat(x.git().commits()).containsExactly(c1, c2, c3);
                assertThat(x.git().commit()).isEqualTo(c3);
                assertThat(x.git().message()).isEqualTo("Add y");

                // History rewritten: back to "x to 4", then a different change. The trees are compared.
                git.resetHard(c1);
                git.write("clusters/x.yaml", cluster("x").withWorkers(7));
                String rewritten = git.commit("x to 7 instead");
                git.forcePush();
                app.awaitProcessed(rewritten);
                List<ClusterEvent> force = eventsOf(app, rewritten);
                assertThat(force).extracting(e -> e.getClass().getSimpleName() + ":" + e.key())
                        .containsExactlyInAnyOrder("ClusterDefinitionUpdated:x", "ClusterDefinitionDeleted:y");
                ClusterDefinitionUpdated x7 = (ClusterDefinitionUpdated) force.stream().filter(e -> e.key().equals("x")).findFirst().orElseThrow();
                assertThat(x7.changes().get(0).oldValue().asInt()).isEqualTo(5);
                assertThat(x7.changes().get(0).newValue().asInt()).isEqualTo(7);
                assertThat(x7.git().commits()).containsExactly(rewritten);

                String empty = git.commit("Nothing");
                git.push();
                app.awaitProcessed(empty);
                assertThat(eventsOf(app, empty)).isEmpty();

                int total = app.events().size();
                git.deleteRemoteBranch();
                await().atMost(Duration.ofSeconds(30)).until(() -> app.status().lastError() != null);
                assertThat(app.status().lastError()).contains("does not exist");
                assertThat(app.status().lastProcessedCommit()).isEqualTo(empty);
                assertThat(app.status().clusters()).isEqualTo(1);
                assertThat(app.events()).hasSize(total);
            }
        }
    }

    @Test
    void rejectedChangesLeaveTheLastValidDefinitionInForce(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a")).write("clusters/p.yaml", cluster("p").withCidr("10.3.0.0/16")
                    .withDeletionProtection(true));
            String first = git.commit("Add a and protected p");
            git.push();
            try (GitwatcherApp app = start(kafka, dir, git)) {
                app.awaitProcessed(first);

                git.write("clusters/a.yaml", cluster("a").yaml().replace("  nodes:\n", "  nodes: [\n"));
                String broken = git.commit("Break a");
                git.push();
                app.awaitProcessed(broken);
                ClusterDefinitionRejected yaml = (ClusterDefinitionRejected) eventsOf(app, broken).get(0);
                assertThat(yaml.key()).isEqualTo("a");
                assertThat(yaml.header().initiator().name()).isEqualTo("Ada Lovelace");
                ValidationProblem problem = yaml.problems().get(0);
                assertThat(problem.file()).isEqualTo("clusters/a.yaml");
                assertThat(problem.rule()).isEqualTo(Rule.YAML_SYNTAX);
                assertThat(problem.line()).isPositive();
                assertThat(problem.column()).isPositive();
                assertThat(app.status().clusters()).isEqualTo(2);

                git.write("clusters/a.yaml", cluster("a").withRegion("eu-west-1"));
                String moved = git.commit("Move a to Europe");
                git.push();
                app.awaitProcessed(moved);
                ClusterDefinitionRejected immutable = (ClusterDefinitionRejected) eventsOf(app, moved).get(0);
                assertThat(immutable.problems()).singleElement().satisfies(p -> {
                    assertThat(p.rule()).isEqualTo(Rule.IMMUTABLE_FIELD);
                    assertThat(p.path()).isEqualTo("$.spec.region");
                    assertThat(p.line()).isEqualTo(8);
                    assertThat(p.message()).isEqualTo("spec.region cannot change: us-east-1 -> eu-west-1");
                });

                git.delete("clusters/p.yaml");
                String removeProtected = git.commit("Remove p");
                git.push();
                app.awaitProcessed(removeProtected);
                ClusterDefinitionRejected protectedDelete = (ClusterDefinitionRejected) eventsOf(app, removeProtected).get(0);
                assertThat(protectedDelete.key()).isEqualTo("p");
                assertThat(protectedDelete.problems().get(0).rule()).isEqualTo(Rule.DELETION_PROTECTED);

                // The fix is compared with the last valid definition, not with the rejected ones.
                git.write("clusters/a.yaml", cluster("a").withWorkers(4));
                String fixed = git.commit("Fix a");
                git.push();
                app.awaitProcessed(fixed);
                ClusterDefinitionUpdated update = (ClusterDefinitionUpdated) eventsOf(app, fixed).get(0);
                assertThat(update.changes()).extracting(FieldChange::path).containsExactly("$.spec.nodes.workers.count");
                assertThat(app.status().clusters()).isEqualTo(2);
                assertThat(app.events()).filteredOn(e -> e.key().equals("p"))
                        .noneMatch(e -> e instanceof ClusterDefinitionDeleted);
            }
        }
    }

    @Test
    void duplicateNameTakesEffectOnceTheOtherFileIsRemovedEvenAcrossARestart(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("dup-new")).write("clusters/b.yaml", cluster("dup-new"));
            String both = git.commit("Two files for dup-new");
            git.push();
            try (GitwatcherApp app = start(kafka, dir, git)) {
                app.awaitProcessed(both);
                assertThat(eventsOf(app, both)).hasSize(2).allSatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(ClusterDefinitionRejected.class, r -> assertThat(r.problems())
                                .extracting(ValidationProblem::rule).containsExactly(Rule.DUPLICATE_NAME)));

                // Nothing in memory may carry the rejection over: the remaining file is found from Git and the topic.
                app.restart();
                git.delete("clusters/b.yaml");
                String removed = git.commit("Remove the second dup-new");
                git.push();
                app.awaitProcessed(removed);

                assertThat(eventsOf(app, removed)).singleElement().isInstanceOfSatisfying(ClusterDefinitionCreated.class,
                        c -> {
                            assertThat(c.key()).isEqualTo("dup-new");
                            assertThat(c.git().path()).isEqualTo("clusters/a.yaml");
                        });
                assertThat(app.status().clusters()).isEqualTo(1);
            }
        }
    }
}
