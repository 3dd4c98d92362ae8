package io.k0rdent.ops.k0ops.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.k0rdent.ops.contracts.event.FieldChange;

/**
 * One changed field of a definition, for people and scripts.
 *
 * @param path   the field without the leading {@code $.}, e.g. {@code spec.nodes.workers.count}
 * @param before the applied value as text, {@code null} when the field was added
 * @param after  the desired value as text, {@code null} when the field was removed
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
public record ChangedField(String path, String before, String after) {

    /** A change as the rules' field diff reports it ({@code $.}-rooted path, JSON values). */
    public static ChangedField of(FieldChange change) {
        String path = change.path().startsWith("$.") ? change.path().substring(2) : change.path();
        return new ChangedField(path, text(change.oldValue()), text(change.newValue()));
    }

    private static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.toString();
    }

    /** {@code spec.nodes.workers.count: 2 → 3}. */
    public String describe() {
        return path + ": " + (before == null ? "(none)" : before) + " → " + (after == null ? "(none)" : after);
    }
}
