package io.k0rdent.ops.deploy.topics;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.deploy.GeneratedFile;
import io.k0rdent.ops.deploy.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the topic manifests from {@link Topics}: Strimzi {@code KafkaTopic}s for clusters with the
 * Topic Operator, and {@code create-topics.sh} for clusters without. Generated rather than hand-written
 * so the partitions and retention cannot drift from the contract; {@code GeneratedTopicFilesTest} fails
 * when a committed file differs from what this would write.
 */
public final class TopicManifestGenerator {

    /** The command that rewrites the files; failure messages quote it. */
    public static final String REGENERATE_COMMAND = "./mvnw -q -pl deploy/manifests -am -Pgenerate-topics process-classes";

    static final String HEADER = "GENERATED from io.k0rdent.ops.contracts.topic.Topics by TopicManifestGenerator. Do not edit.\n"
            + "Regenerate with: " + REGENERATE_COMMAND;

    private final List<Topic> topics;

    public TopicManifestGenerator(List<Topic> topics) {
        this.topics = List.copyOf(topics);
    }

    /** Every file the generator owns, for the contract's topics. */
    public static List<GeneratedFile> forContract() {
        return new TopicManifestGenerator(Topics.all()).generate();
    }

    public List<GeneratedFile> generate() {
        List<GeneratedFile> files = new ArrayList<>(new StrimziTopicRenderer().render(topics));
        files.add(new CreateTopicsScriptRenderer().render(topics));
        return files;
    }

    /** @param args optionally the repository root; otherwise it is searched from the working directory */
    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : RepositoryRoot.locate();
        List<GeneratedFile> files = forContract();
        // Drop stale topic files first, so a topic removed from Topics disappears from the kustomization's directory too.
        Path topicsDir = root.resolve(StrimziTopicRenderer.DIRECTORY);
        if (Files.isDirectory(topicsDir)) {
            try (var existing = Files.list(topicsDir)) {
                for (Path stale : existing.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.delete(stale);
                }
            }
        }
        for (GeneratedFile file : files) {
            Path target = root.resolve(file.path());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content(), StandardCharsets.UTF_8);
            if (target.toString().endsWith(".sh")) {
                target.toFile().setExecutable(true, false);
            }
            System.out.println("wrote " + file.path());
        }
    }
}
