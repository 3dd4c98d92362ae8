package io.k0rdent.ops.deploy.topics;

import io.k0rdent.ops.deploy.GeneratedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Compares committed generated files with what the generator writes now. */
public final class GeneratedFilesCheck {

    private GeneratedFilesCheck() {
    }

    /**
     * @param root     the repository root
     * @param expected what the generator would write
     * @return one message per missing, stale or left-over file; empty when everything is current
     */
    public static List<String> problems(Path root, List<GeneratedFile> expected) {
        List<String> problems = new ArrayList<>();
        for (GeneratedFile file : expected) {
            Path actual = root.resolve(file.path());
            if (!Files.isRegularFile(actual)) {
                problems.add(file.path() + " is missing; regenerate with: " + TopicManifestGenerator.REGENERATE_COMMAND);
            } else if (!read(actual).equals(file.content())) {
                problems.add(file.path() + " is out of date with Topics; regenerate with: "
                        + TopicManifestGenerator.REGENERATE_COMMAND);
            }
        }
        // A topic removed from Topics must not linger as a KafkaTopic the operator would keep recreating.
        Path topicsDir = root.resolve(StrimziTopicRenderer.DIRECTORY);
        Set<Path> owned = expected.stream().map(GeneratedFile::path).collect(Collectors.toSet());
        if (Files.isDirectory(topicsDir)) {
            try (var files = Files.list(topicsDir)) {
                files.map(root::relativize).filter(p -> !owned.contains(p)).sorted().forEach(p -> problems.add(
                        p + " is not generated from Topics; delete it and regenerate with: "
                                + TopicManifestGenerator.REGENERATE_COMMAND));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return problems;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
