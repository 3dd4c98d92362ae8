package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SafeYamlReader} made of one file.
 *
 * @param root      the document as a JSON tree; null when the file could not be loaded at all (syntax
 *                  error, over a limit, not exactly one document). It may be non-null while
 *                  {@code problems} is not empty (a duplicate key, an unsupported tag): the tree then
 *                  holds what could be read, for best-effort use such as finding the cluster name.
 *                  Callers must not modify it.
 * @param locations where each node of {@code root} starts; empty when {@code root} is null
 * @param problems  {@link Rule#YAML_SYNTAX} and {@link Rule#YAML_LIMITS} problems, in file order; empty
 *                  when the file loaded cleanly
 */
public record YamlDocument(JsonNode root, LocationIndex locations, List<ValidationProblem> problems) {

    public YamlDocument {
        Objects.requireNonNull(locations, "locations");
        problems = List.copyOf(problems);
    }

    /** Whether the file loaded without any problem, so that {@link #root()} is complete and reliable. */
    public boolean loaded() {
        return root != null && problems.isEmpty();
    }

    static YamlDocument failed(ValidationProblem problem) {
        return new YamlDocument(null, LocationIndex.empty(), List.of(problem));
    }
}
