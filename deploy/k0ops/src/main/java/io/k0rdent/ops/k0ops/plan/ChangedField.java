package io.k0rdent.ops.k0ops.plan;

/**
 * One changed field of a definition, for people and scripts.
 *
 * @param path   the field without the leading {@code $.}, e.g. {@code spec.nodes.workers.count}
 * @param before the applied value as text, {@code null} when the field was added
 * @param after  the desired value as text, {@code null} when the field was removed
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
public record ChangedField(String path, String before, String after) {

    /** {@code spec.nodes.workers.count: 2 → 3}. */
    public String describe() {
        return path + ": " + (before == null ? "(none)" : before) + " → " + (after == null ? "(none)" : after);
    }
}
