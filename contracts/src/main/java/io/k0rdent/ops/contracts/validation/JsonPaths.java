package io.k0rdent.ops.contracts.validation;

import java.util.regex.Pattern;

/**
 * Builds the JSON paths that name nodes in {@link ValidationProblem#path()} and {@link LocationIndex}:
 * {@code $}, {@code $.spec.nodes.controllers.count}, {@code $.metadata.labels['app.kubernetes.io/name']},
 * {@code $.items[0]}. Every producer of paths goes through here so that the gitwatcher can look up
 * a location with a path it builds itself.
 */
public final class JsonPaths {

    /** The document root. */
    public static final String ROOT = "$";

    // Names outside this set are written in bracket notation so that the path stays unambiguous.
    private static final Pattern DOT_SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPaths() {
    }

    /**
     * The path of a field of the object at {@code parent}.
     *
     * @param parent a path produced by this class, not null
     * @param name   the field name, not null (may be empty)
     */
    public static String child(String parent, String name) {
        if (DOT_SAFE.matcher(name).matches()) {
            return parent + "." + name;
        }
        return parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    /** The path of the element at {@code index} of the array at {@code parent}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /**
     * Joins field names from the root, e.g. {@code of("spec", "networking", "vpcCidr")} is
     * {@code $.spec.networking.vpcCidr}.
     */
    public static String of(String... names) {
        String path = ROOT;
        for (String name : names) {
            path = child(path, name);
        }
        return path;
    }
}
