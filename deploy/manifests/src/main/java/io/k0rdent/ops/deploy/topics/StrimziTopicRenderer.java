package io.k0rdent.ops.deploy.topics;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.deploy.GeneratedFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One Strimzi {@code KafkaTopic} ({@code kafka.strimzi.io/v1beta2}) per topic, plus their kustomization. */
final class StrimziTopicRenderer {

    static final Path DIRECTORY = Path.of("deploy/kubernetes/topics");
    /** Three copies survive the loss of one broker with two still in sync, so acks=all keeps working. */
    static final int REPLICAS = 3;
    static final int MIN_IN_SYNC_REPLICAS = 2;
    /** The Kafka cluster resource the Topic Operator manages; operators relabel it in their own overlay. */
    static final String STRIMZI_CLUSTER = "k0rdent-kafka";
    /** The Topic Operator watches the namespace of its Kafka cluster, not ours. */
    static final String NAMESPACE = "kafka";

    List<GeneratedFile> render(List<Topic> topics) {
        List<GeneratedFile> files = new ArrayList<>();
        StringBuilder kustomization = new StringBuilder()
                .append(comment(TopicManifestGenerator.HEADER))
                .append("apiVersion: kustomize.config.k8s.io/v1beta1\n")
                .append("kind: Kustomization\n")
                .append("namespace: ").append(NAMESPACE).append('\n')
                .append("resources:\n");
        for (Topic topic : topics) {
            String fileName = topic.name() + ".yaml";
            files.add(new GeneratedFile(DIRECTORY.resolve(fileName), kafkaTopic(topic)));
            kustomization.append("  - ").append(fileName).append('\n');
        }
        files.add(new GeneratedFile(DIRECTORY.resolve("kustomization.yaml"), kustomization.toString()));
        return files;
    }

    private String kafkaTopic(Topic topic) {
        StringBuilder yaml = new StringBuilder()
                .append(comment(TopicManifestGenerator.HEADER))
                .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                .append("kind: KafkaTopic\n")
                .append("metadata:\n")
                // Topic names are valid resource names (lowercase, dots), so spec.topicName is not needed.
                .append("  name: ").append(topic.name()).append('\n')
                .append("  labels:\n")
                .append("    strimzi.io/cluster: ").append(STRIMZI_CLUSTER).append('\n')
                .append("  annotations:\n")
                .append("    k0rdent.io/key: ").append(quoted(topic.key())).append('\n')
                .append("    k0rdent.io/description: ").append(quoted(topic.description())).append('\n')
                .append("spec:\n")
                .append("  partitions: ").append(topic.partitions()).append('\n')
                .append("  replicas: ").append(REPLICAS).append('\n')
                .append("  config:\n");
        configs(topic, MIN_IN_SYNC_REPLICAS).forEach((key, value) ->
                yaml.append("    ").append(key).append(": ").append(quoted(value)).append('\n'));
        return yaml.toString();
    }

    /** The contract's configs plus {@code min.insync.replicas}, sorted for a stable file. */
    static Map<String, String> configs(Topic topic, int minInSyncReplicas) {
        Map<String, String> configs = new TreeMap<>(topic.configs());
        configs.put("min.insync.replicas", Integer.toString(minInSyncReplicas));
        return configs;
    }

    static String comment(String text) {
        return "# " + text.replace("\n", "\n# ") + "\n";
    }

    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
