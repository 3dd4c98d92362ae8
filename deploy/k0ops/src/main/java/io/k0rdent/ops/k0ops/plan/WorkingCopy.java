package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cluster definitions of a Git working copy: the files the gitwatcher watches by default
 * ({@code clusters/**}{@code /*.yaml} and {@code .yml}), each validated as the gitwatcher validates it,
 * with repository-relative paths so problems and events name the same file.
 *
 * @param root     the working copy
 * @param files    one result per definition file, sorted by path
 * @param hasClustersDirectory false when there is no {@code clusters/} at all (Git keeps no empty
 *                 directory, so that is also what a repository whose clusters were all removed looks like)
 */
public record WorkingCopy(Path root, List<ValidationResult> files, boolean hasClustersDirectory) {

    public static final String CLUSTERS = "clusters";

    public WorkingCopy {
        files = List.copyOf(files);
    }

    public static WorkingCopy read(Path root, ClusterDefinitionValidator validator) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no such directory: " + root);
        }
        Path clusters = root.resolve(CLUSTERS);
        if (!Files.isDirectory(clusters)) {
            return new WorkingCopy(root, List.of(), false);
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(clusters)) {
            paths = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        }
        List<ValidationResult> results = new ArrayList<>();
        for (Path path : paths) {
            results.add(validator.validate(relative(root, path), Files.readAllBytes(path)));
        }
        return new WorkingCopy(root, results, true);
    }

    /** The repository-relative path with forward slashes, as Git and the gitwatcher's events name it. */
    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
