package io.k0rdent.ops.contracts.validation;

/**
 * The bounds {@link SafeYamlReader} enforces before and while it turns YAML into a tree. A cluster
 * definition is a few dozen lines; anything far bigger is a mistake or an attack, and is refused
 * with {@link Rule#YAML_LIMITS} instead of being loaded.
 *
 * @param maxBytes                 largest accepted file, in UTF-8 bytes
 * @param maxAliasesForCollections how many aliases may point at mappings or sequences; those aliases
 *                                 are what lets a small "billion laughs" file expand without bound
 * @param maxNestingDepth          deepest accepted nesting of mappings and sequences, also after
 *                                 aliases are followed
 * @param maxNodes                 most nodes (keys and values) the loaded tree may have, counting every
 *                                 node reached through an alias again
 */
public record YamlLimits(int maxBytes, int maxAliasesForCollections, int maxNestingDepth, int maxNodes) {

    /** 256 KiB, the default {@link #maxBytes()}. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    public YamlLimits {
        if (maxBytes < 1 || maxAliasesForCollections < 0 || maxNestingDepth < 1 || maxNodes < 1) {
            throw new IllegalArgumentException("YAML limits must be positive (aliases may be 0): " + maxBytes + ", "
                    + maxAliasesForCollections + ", " + maxNestingDepth + ", " + maxNodes);
        }
    }

    /**
     * Limits generous for any real cluster definition: 256 KiB, 10 collection aliases, 32 levels,
     * 10,000 nodes.
     */
    public static YamlLimits defaults() {
        return new YamlLimits(DEFAULT_MAX_BYTES, 10, 32, 10_000);
    }
}
