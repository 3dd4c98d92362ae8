package io.k0rdent.ops.contracts.validation;

import java.util.Objects;

/**
 * One problem found in a cluster definition, precise enough for an editor or a CI log:
 * {@code clusters/dev-01.yaml:12:7: $.spec.nodes.controllers.count: must be odd}.
 *
 * @param file    the file as the user knows it (repository-relative path), never null
 * @param line    1-based line, or 0 when the problem concerns the whole file
 * @param column  1-based column, or 0 when the problem concerns the whole file
 * @param path    JSON path of the offending node ({@code $} for the document itself)
 * @param rule    the rule that was broken, stable for tooling
 * @param message what is wrong, for people; never contains a secret value
 */
public record ValidationProblem(String file, int line, int column, String path, Rule rule, String message) {

    public ValidationProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** The compiler-style one-line form used by {@code k0ops validate}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + path + ": " + message + " [" + rule.id() + "]";
    }
}
