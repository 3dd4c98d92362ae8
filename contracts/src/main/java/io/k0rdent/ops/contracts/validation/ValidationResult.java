package io.k0rdent.ops.contracts.validation;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one definition file.
 *
 * @param file        the file name the problems carry, never null
 * @param problems    every problem found (YAML, schema, semantic, inline secrets), sorted by line
 *                    and column; problems about the whole file ({@code 0:0}) come first. Never null.
 * @param definition  the parsed definition; {@link ClusterDefinitionValidator} sets it exactly when
 *                    {@code problems} is empty, and leaves it null otherwise
 * @param clusterName {@code metadata.name} whenever the file could be read far enough to find it,
 *                    even if it is invalid, so that a rejection can be keyed by cluster; null when
 *                    the file could not be loaded, the name is missing, is not a string, is blank, is
 *                    longer than 253 characters or looks like a secret
 * @param locations   where each node of the file starts, for pointing later problems about the same
 *                    file at the right line; empty when the file could not be loaded. Never null.
 */
public record ValidationResult(
        String file,
        List<ValidationProblem> problems,
        ClusterDefinition definition,
        String clusterName,
        LocationIndex locations) {

    public ValidationResult {
        Objects.requireNonNull(file, "file");
        problems = List.copyOf(problems);
        Objects.requireNonNull(locations, "locations");
    }

    /** Whether no problem was found; for a result of the validator, {@link #definition()} is then not null. */
    public boolean isValid() {
        return problems.isEmpty();
    }
}
