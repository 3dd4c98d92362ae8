package io.k0rdent.ops.deploy.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.deploy.GeneratedFile;
import io.k0rdent.ops.deploy.RepositoryRoot;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed topic manifests and script are exactly what {@link TopicManifestGenerator} writes from Topics. */
class GeneratedTopicFilesTest {

    static final Path ROOT = RepositoryRoot.locate();
    static final String REGENERATE = "./mvnw -q -pl deploy/manifests -am -Pgenerate-topics process-classes";

    @Test
    void committedFilesAreUpToDateWithTopics() {
        assertThat(GeneratedFilesCheck.problems(ROOT, TopicManifestGenerator.forContract())).isEmpty();
    }

    @Test
    void aStaleFileIsReportedWithTheRegenerateCommand(@TempDir Path root) throws IOException {
        writeAll(root, TopicManifestGenerator.forContract());
        // As if Topics.DEFINITIONS had gained partitions after the file was generated.
        Path definitions = root.resolve("deploy/kubernetes/topics/k0rdent.cluster.definitions.yaml");
        Files.writeString(definitions, Files.readString(definitions).replace("partitions: 12", "partitions: 6"));

        assertThat(GeneratedFilesCheck.problems(root, TopicManifestGenerator.forContract())).containsExactly(
                "deploy/kubernetes/topics/k0rdent.cluster.definitions.yaml is out of date with Topics; regenerate with: "
                        + REGENERATE);
    }

    @Test
    void aMissingOrLeftOverFileIsReported(@TempDir Path root) throws IOException {
        writeAll(root, TopicManifestGenerator.forContract());
        Files.delete(root.resolve("deploy/kafka/create-topics.sh"));
        Files.writeString(root.resolve("deploy/kubernetes/topics/k0rdent.retired.yaml"), "kind: KafkaTopic\n");

        assertThat(GeneratedFilesCheck.problems(root, TopicManifestGenerator.forContract())).containsExactly(
                "deploy/kafka/create-topics.sh is missing; regenerate with: " + REGENERATE,
                "deploy/kubernetes/topics/k0rdent.retired.yaml is not generated from Topics; delete it and regenerate with: "
                        + REGENERATE);
    }

    @Test
    void kafkaTopicsCarryTheContractsPartitionsAndConfigsWithThreeReplicas() {
        for (Topic topic : Topics.all()) {
            List<HasMetadata> parsed = ManifestFiles.resources(ROOT.resolve("deploy/kubernetes/topics/" + topic.name() + ".yaml"));
            assertThat(parsed).singleElement().isInstanceOf(GenericKubernetesResource.class);
            GenericKubernetesResource kafkaTopic = (GenericKubernetesResource) parsed.get(0);

            assertThat(kafkaTopic.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(kafkaTopic.getKind()).isEqualTo("KafkaTopic");
            assertThat(kafkaTopic.getMetadata().getName()).isEqualTo(topic.name());
            assertThat(kafkaTopic.getMetadata().getLabels()).containsKey("strimzi.io/cluster");
            assertThat((Integer) kafkaTopic.get("spec", "partitions")).as(topic.name()).isEqualTo(topic.partitions());
            assertThat((Integer) kafkaTopic.get("spec", "replicas")).isEqualTo(3);
            Map<String, Object> config = kafkaTopic.get("spec", "config");
            assertThat(config).containsAllEntriesOf(topic.configs()).containsEntry("min.insync.replicas", "2")
                    .hasSize(topic.configs().size() + 1);
        }
    }

    @Test
    void theScriptCreatesEveryTopicWithItsSettings() throws IOException {
        String script = Files.readString(ROOT.resolve("deploy/kafka/create-topics.sh"));

        assertThat(script).startsWith("#!/usr/bin/env bash\n").contains("--create --if-not-exists")
                .contains("--command-config").contains("--bootstrap-server");
        assertThat(script).contains("create_topic k0rdent.cluster.definitions 12 cleanup.policy=delete retention.ms="
                + Duration.ofDays(30).toMillis() + "\n");
        assertThat(script).contains("create_topic k0rdent.gitwatcher.state 1 cleanup.policy=compact min.compaction.lag.ms=0\n");
        assertThat(script.lines().filter(l -> l.startsWith("create_topic "))).hasSize(Topics.all().size());
        assertThat(Files.isExecutable(ROOT.resolve("deploy/kafka/create-topics.sh"))).isTrue();
    }

    private static void writeAll(Path root, List<GeneratedFile> files) throws IOException {
        for (GeneratedFile file : files) {
            Files.createDirectories(root.resolve(file.path()).getParent());
            Files.writeString(root.resolve(file.path()), file.content());
        }
    }
}
