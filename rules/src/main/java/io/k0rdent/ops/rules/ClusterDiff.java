package io.k0rdent.ops.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.validation.JsonPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The field-level difference between two versions of a definition, as carried by
 * {@code ClusterDefinitionUpdated.changes}: one entry per changed leaf, with JSON paths built by
 * {@link JsonPaths} so they match the validator's. An added or removed object is reported as one
 * change of the whole object, not as one change per field inside it.
 */
public final class ClusterDiff {

    private ClusterDiff() {
    }

    /**
     * @param before the previous definition as a JSON tree, not null
     * @param after  the new definition as a JSON tree, not null
     * @return the changes sorted by path; empty when the two are equal
     */
    public static List<FieldChange> between(JsonNode before, JsonNode after) {
        List<FieldChange> changes = new ArrayList<>();
        compare(JsonPaths.ROOT, before, after, changes);
        return changes;
    }

    private static void compare(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
        // A missing field and an explicit null both mean "not set".
        boolean beforeAbsent = before == null || before.isNull();
        boolean afterAbsent = after == null || after.isNull();
        if (beforeAbsent && afterAbsent) {
            return;
        }
        if (beforeAbsent || afterAbsent) {
            out.add(new FieldChange(path, beforeAbsent ? null : before, afterAbsent ? null : after));
            return;
        }
        if (before.isObject() && after.isObject()) {
            // Sorted names: the order of keys in a YAML file is not a change, and the output is stable.
            TreeSet<String> names = new TreeSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(JsonPaths.child(path, name), before.get(name), after.get(name), out);
            }
            return;
        }
        if (before.isArray() && after.isArray()) {
            int common = Math.min(before.size(), after.size());
            for (int i = 0; i < common; i++) {
                compare(JsonPaths.index(path, i), before.get(i), after.get(i), out);
            }
            for (int i = common; i < before.size(); i++) {
                out.add(new FieldChange(JsonPaths.index(path, i), before.get(i), null));
            }
            for (int i = common; i < after.size(); i++) {
                out.add(new FieldChange(JsonPaths.index(path, i), null, after.get(i)));
            }
            return;
        }
        if (!equalValues(before, after)) {
            out.add(new FieldChange(path, before, after));
        }
    }

    // 3 and 3.0 are the same count; JsonNode.equals tells an IntNode from a DoubleNode.
    private static boolean equalValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    /** Whether two trees are equal in the sense of {@link #between}: no change at all. */
    public static boolean same(JsonNode before, JsonNode after) {
        return between(before, after).isEmpty();
    }
}
