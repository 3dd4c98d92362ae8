package io.k0rdent.ops.contracts.validation;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where each node of a loaded definition starts in its source file, by {@link JsonPaths JSON path}.
 * Built once by {@link SafeYamlReader} from the YAML start marks, immutable afterwards, so it can be
 * shared with whoever reports problems about the same file later (the gitwatcher's repository-wide
 * rules use it to point at the right line).
 */
public final class LocationIndex {

    private static final LocationIndex EMPTY = new LocationIndex(Map.of());

    private final Map<String, Entry> entries;

    private LocationIndex(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** An index that knows no locations, for files that could not be loaded at all. */
    public static LocationIndex empty() {
        return EMPTY;
    }

    /**
     * Where a reader should look for the node at {@code path}: the value itself for a scalar
     * ({@code us-east-1} in {@code region: us-east-1}), the key that introduces it for a mapping or
     * sequence ({@code networking:}), since the first line of a block collection is its first child.
     *
     * @param path a JSON path as built by {@link JsonPaths}, not null
     * @return the location, or empty when the document has no node at that path
     */
    public Optional<SourceLocation> find(String path) {
        Entry entry = entries.get(Objects.requireNonNull(path, "path"));
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(entry.scalar() || entry.key() == null ? entry.value() : entry.key());
    }

    /**
     * Where the key of the mapping entry at {@code path} starts, e.g. {@code cidr} in
     * {@code cidr: 10.0.0.0/16}. Falls back to the node itself for the root and for sequence items,
     * which have no key.
     *
     * @param path a JSON path as built by {@link JsonPaths}, not null
     * @return the location, or empty when the document has no node at that path
     */
    public Optional<SourceLocation> findKey(String path) {
        Entry entry = entries.get(Objects.requireNonNull(path, "path"));
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(entry.key() == null ? entry.value() : entry.key());
    }

    /** Whether the document has a node at {@code path}. */
    public boolean contains(String path) {
        return entries.containsKey(path);
    }

    /** The number of nodes indexed. */
    public int size() {
        return entries.size();
    }

    /** Location of one node: {@code key} is null for the root and for sequence items. */
    private record Entry(SourceLocation key, SourceLocation value, boolean scalar) {
    }

    /** Collects entries while a document is converted; not thread-safe, used by one load. */
    static final class Builder {

        private final Map<String, Entry> entries = new HashMap<>();

        /**
         * Records a node. The first record for a path wins: a later one can only come from a
         * duplicate key, which is reported separately and must not move the original location.
         */
        Builder put(String path, SourceLocation key, SourceLocation value, boolean scalar) {
            entries.putIfAbsent(path, new Entry(key, value, scalar));
            return this;
        }

        Optional<SourceLocation> keyOf(String path) {
            Entry entry = entries.get(path);
            return entry == null ? Optional.empty() : Optional.ofNullable(entry.key() == null ? entry.value() : entry.key());
        }

        LocationIndex build() {
            return entries.isEmpty() ? EMPTY : new LocationIndex(Map.copyOf(entries));
        }
    }
}
