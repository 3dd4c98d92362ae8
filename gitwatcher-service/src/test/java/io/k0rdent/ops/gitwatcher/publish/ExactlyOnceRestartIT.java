package io.k0rdent.ops.gitwatcher.publish;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.gitwatcher.support.CommittedRecords;
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

/**
 * The watermark is written in the same transaction as the events: a crash between the two neither
 * loses nor duplicates events, and a restart resumes from the stored commit and definitions.
 */
@KafkaIntegrationTest
class ExactlyOnceRestartIT {

    private static final Duration POLL = Duration.ofMillis(300);

    @Test
    void crashBeforeCommitThenRestartEmitsExactlyOneSet(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a")).write("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16"));
            String head = git.commit("Add a and b");
            git.push();
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                    List.of(GitwatcherApp.repository(git.remoteUrl(), "main", POLL)), Map.of(),
                    CrashBeforeCommitHook.ENVIRONMENT)) {
                // The events were produced (visible to a read_uncommitted reader), then the "process died".
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        CommittedRecords.read(kafka.bootstrapServers(), app.definitionsTopic(), false).size() >= 2);
                assertThat(app.status().lastError()).contains("simulated crash");
                assertThat(app.status().lastProcessedCommit()).isNull();

                app.restart();
                app.awaitProcessed(head);

                List<ClusterEvent> committed = app.events();
                assertThat(committed).hasSize(2).allMatch(e -> e instanceof ClusterDefinitionCreated);
                assertThat(committed).extracting(ClusterEvent::key).containsExactlyInAnyOrder("a", "b");
                assertThat(CommittedRecords.read(kafka.bootstrapServers(), app.definitionsTopic(), false).size())
                        .as("the crashed attempts' records are in the log, aborted").isGreaterThan(2);
                assertThat(CommittedRecords.read(kafka.bootstrapServers(), app.stateTopic(), true))
                        .extracting(r -> r.key()).contains(git.remoteUrl() + "#main");
            }
        }
    }

    @Test
    void restartResumesFromTheStoredWatermarkAndDefinitions(KafkaTestContext kafka, @TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a"));
            String first = git.commit("Add a");
            git.push();
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                    List.of(GitwatcherApp.repository(git.remoteUrl(), "main", POLL)), Map.of())) {
                app.awaitProcessed(first);
                long generation = app.events().get(0).header().generation();

                app.restart();
                app.awaitProcessed(first);
                assertThat(app.events()).as("nothing is emitted again after a restart").hasSize(1);
                assertThat(app.status().clusters()).isEqualTo(1);

                git.write("clusters/a.yaml", cluster("a").withWorkers(6));
                String second = git.commit("Scale a");
                git.push();
                app.awaitProcessed(second);
                List<ClusterEvent> events = app.events();
                assertThat(events).hasSize(2);
                assertThat(events.get(1)).isInstanceOfSatisfying(ClusterDefinitionUpdated.class, u -> {
                    assertThat(u.header().generation()).isEqualTo(generation + 1);
                    assertThat(u.changes()).extracting(FieldChange::path).containsExactly("$.spec.nodes.workers.count");
                });
            }
        }
    }
}
