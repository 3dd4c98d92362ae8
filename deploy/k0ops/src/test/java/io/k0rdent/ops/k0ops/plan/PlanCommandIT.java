package io.k0rdent.ops.k0ops.plan;

import static io.k0rdent.ops.k0ops.plan.PlanFixtures.dev01;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.valid;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.k0ops.K0ops;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code k0ops plan} against a real broker: definitions published with the real codec, as the
 * gitwatcher does, then a working copy planned. The definitions go to a topic of this test's own, so
 * the broker this JVM shares with the other k0ops tests (which use the real topic names) sees no
 * cross-talk.
 */
@KafkaIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCommandIT {

    private static final String REPO = "file:///gitops.git";
    private static final String THREE_WORKERS =
            yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 3, "t3.large", "1.28.3+k0s.0", false);
    private static final String OLD =
            yaml("old-01", "us-east-1", "10.40.0.0/16", 1, "t3.medium", 1, "t3.medium", "1.28.3+k0s.0", false);
    private static final String NEW =
            yaml("new-01", "us-east-1", "10.50.0.0/16", 1, "t3.medium", 2, "m5.large", "1.28.3+k0s.0", false);

    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/plan-it"));
    private String bootstrap;
    private String topic;

    private record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    void publishAppliedState(KafkaTestContext kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        topic = kafka.createTopic("plan-definitions", 3);
        ClusterDefinition devV1 = definition(PlanFixtures.yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium",
                2, "t3.large", "1.27.1+k0s.0", false));
        ClusterDefinition devV2 = definition(dev01());
        ClusterDefinition gone = definition(yaml("gone-01", "us-east-1", "10.60.0.0/16", 1, "t3.medium", 1,
                "t3.medium", "1.28.3+k0s.0", false));
        List<ClusterEvent> history = List.of(
                new ClusterDefinitionCreated(header("dev-01", 1), git("dev-01"), devV1),
                new ClusterDefinitionCreated(header("old-01", 2), git("old-01"), definition(OLD)),
                new ClusterDefinitionCreated(header("gone-01", 3), git("gone-01"), gone),
                new ClusterDefinitionUpdated(header("dev-01", 4), git("dev-01"), devV2, List.of()),
                new ClusterDefinitionDeleted(header("gone-01", 5), git("gone-01"), gone));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            for (ClusterEvent event : history) {
                ProducerRecord<String, byte[]> real = codec.toRecord(event);
                producer.send(new ProducerRecord<>(topic, null, real.key(), real.value(), real.headers())).get();
            }
        }
    }

    @Test
    void plansCreateUpdateAndDeleteAndExitsTwo(@TempDir Path dir) throws IOException {
        write(dir, "clusters/dev-01.yaml", THREE_WORKERS);
        write(dir, "clusters/new/new-01.yaml", NEW);

        Result plan = plan(dir.toString());

        assertThat(plan.exitCode()).as(plan.err()).isEqualTo(PlanCommand.EXIT_CHANGES);
        List<String> lines = plan.out().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("dev-01 +update +clusters/dev-01\\.yaml +"
                + "spec\\.nodes\\.workers\\.count: 2 → 3"));
        assertThat(lines).anyMatch(l -> l.matches("new-01 +create +clusters/new/new-01\\.yaml"));
        assertThat(lines).anyMatch(l -> l.matches("old-01 +delete +clusters/old-01\\.yaml"));
        assertThat(plan.out()).doesNotContain("gone-01").doesNotContain("\u001b[");
        assertThat(lines).anyMatch(l -> l.matches("dev-01 +workers +2 × t3\\.large +3 × t3\\.large +1 +0 +0"));
        // Instances: dev-01 151.84 → 212.58; old-01 60.74 → 0; new-01 0 → 170.53 (730 × (0.0416 + 2 × 0.096)).
        // Network (public clusters): 730 × 0.0225 NLB = 16.425, and per node 730 × 0.005 IPv4 + 40 GiB × 0.08 = 6.85:
        // dev-01 +36.975 (3 nodes) → +43.825 (4); old-01 +30.125 (2); new-01 +36.975 (3).
        assertThat(lines).anyMatch(l -> l.matches("dev-01 +us-east-1 +\\$188\\.82 +\\$256\\.40 +\\+\\$67\\.59"));
        assertThat(lines).anyMatch(l -> l.matches("TOTAL +\\$279\\.68 +\\$463\\.90 +\\+\\$184\\.23"));
        assertThat(lines).last().isEqualTo("Plan: 1 to create, 1 to update, 1 to delete, 0 unchanged."
                + " Instances: 4 to launch, 0 to replace, 2 to terminate.");
        assertThat(plan.err()).isEmpty();
    }

    @Test
    void printsAStableJsonDocument(@TempDir Path dir) throws IOException {
        write(dir, "clusters/dev-01.yaml", THREE_WORKERS);
        write(dir, "clusters/old-01.yaml", OLD);

        Result plan = plan(dir.toString(), "-o", "json");

        assertThat(plan.exitCode()).isEqualTo(PlanCommand.EXIT_CHANGES);
        JsonNode json = new ObjectMapper().readTree(plan.out());
        assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(json.get("changes").asBoolean()).isTrue();
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.at("/summary/update").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/unchanged").asInt()).isEqualTo(1);
        assertThat(json.at("/summary/launch").asInt()).isEqualTo(1);
        JsonNode dev = json.at("/clusters/0");
        assertThat(dev.get("name").asText()).isEqualTo("dev-01");
        assertThat(dev.get("action").asText()).isEqualTo("update");
        assertThat(dev.at("/changes/0/path").asText()).isEqualTo("spec.nodes.workers.count");
        assertThat(dev.at("/changes/0/before").asText()).isEqualTo("2");
        assertThat(dev.at("/changes/0/after").asText()).isEqualTo("3");
        assertThat(dev.at("/pools/1/pool").asText()).isEqualTo("workers");
        assertThat(dev.at("/pools/1/after/count").asInt()).isEqualTo(3);
        // One more node: its t3.large (60.736), public address (3.65) and root volume (3.2).
        assertThat(dev.at("/cost/delta").decimalValue()).isEqualByComparingTo("67.59");
        assertThat(json.at("/clusters/1/action").asText()).isEqualTo("unchanged");
        assertThat(json.at("/pricing/hoursPerMonth").asInt()).isEqualTo(730);
        assertThat(json.get("problems")).isEmpty();
        // An unknown amount is an explicit null, not a missing field.
        assertThat(json.at("/cost").has("current")).isTrue();
    }

    @Test
    void aWorkingCopyEqualToTheAppliedStateExitsZero(@TempDir Path dir) throws IOException {
        write(dir, "clusters/dev-01.yaml", dev01());
        write(dir, "clusters/old-01.yml", OLD);

        Result plan = plan(dir.toString());

        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(PlanCommand.EXIT_NO_CHANGES);
        assertThat(plan.out()).contains("No changes: the working copy matches the applied state.");
    }

    @Test
    void anInvalidDefinitionIsReportedLikeValidateAndExitsOne(@TempDir Path dir) throws IOException {
        write(dir, "clusters/dev-01.yaml", dev01().replace("count: 1", "count: 2"));
        write(dir, "clusters/old-01.yaml", OLD);

        Result plan = plan(dir.toString());

        assertThat(plan.exitCode()).isEqualTo(PlanCommand.EXIT_ERROR);
        assertThat(plan.out().lines()).anyMatch(l -> l.startsWith("clusters/dev-01.yaml:14:")
                && l.contains("$.spec.nodes.controllers.count") && l.endsWith("[controller-count]"));
        assertThat(plan.out().lines()).anyMatch(l -> l.matches("dev-01 +invalid +clusters/dev-01\\.yaml"))
                .noneMatch(l -> l.contains("delete"));
    }

    @Test
    void errorsAreOneLineWithoutAStackTrace(@TempDir Path dir) {
        Result unreachable = k0ops("plan", dir.toString(), "-b", "127.0.0.1:1", "--timeout", "PT2S");
        assertThat(unreachable.exitCode()).isEqualTo(PlanCommand.EXIT_ERROR);
        assertThat(unreachable.err().strip()).isEqualTo("k0ops: Kafka broker unreachable at 127.0.0.1:1 (no answer within 2s)");

        Result noTopic = k0ops("plan", dir.toString(), "-b", bootstrap, "--definitions-topic", "no-such-topic");
        assertThat(noTopic.exitCode()).isEqualTo(PlanCommand.EXIT_ERROR);
        assertThat(noTopic.err().lines()).singleElement().asString().contains("no-such-topic does not exist");

        Result noDir = k0ops("plan", dir.resolve("missing").toString(), "-b", bootstrap);
        assertThat(noDir.exitCode()).isEqualTo(PlanCommand.EXIT_ERROR);
        assertThat(noDir.err().strip()).startsWith("k0ops: no such directory:").doesNotContain("\tat ");

        Result usage = k0ops("plan", "--no-such-option");
        assertThat(usage.exitCode()).isEqualTo(PlanCommand.EXIT_ERROR);
    }

    @Test
    void anEmptyWorkingCopyPlansEveryClusterForDeletionAndWarns(@TempDir Path dir) {
        Result plan = plan(dir.toString());

        assertThat(plan.exitCode()).isEqualTo(PlanCommand.EXIT_CHANGES);
        assertThat(plan.out()).contains("Plan: 0 to create, 0 to update, 2 to delete");
        assertThat(plan.err()).contains("warning: no clusters/ directory in");
    }

    private Result plan(String... args) {
        List<String> all = new ArrayList<>(List.of("plan"));
        all.addAll(List.of(args));
        all.addAll(List.of("-b", bootstrap, "--definitions-topic", topic, "--no-color"));
        return k0ops(all.toArray(String[]::new));
    }

    private static Result k0ops(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = K0ops.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static void write(Path dir, String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static ClusterDefinition definition(String yaml) {
        return valid("clusters/x.yaml", yaml).definition();
    }

    private static EventHeader header(String cluster, long generation) {
        return new EventHeader(UUID.randomUUID(), cluster, generation, "abc123", null,
                Instant.parse("2026-11-25T08:00:00Z").plusSeconds(generation), Map.of(), null);
    }

    private static GitSource git(String cluster) {
        return new GitSource(REPO, "main", "clusters/" + cluster + ".yaml", null, "abc123", List.of("abc123"),
                "change " + cluster);
    }
}
