package io.k0rdent.ops.rules;

import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.util.Objects;

/**
 * One definition file a commit changed, with the per-file validation of its new content. Paths are
 * repository-relative.
 *
 * @param kind       what happened to the file
 * @param oldPath    the path before; {@code null} for {@link Kind#ADDED}
 * @param newPath    the path after; {@code null} for {@link Kind#DELETED}
 * @param validation the validation of the new content (parsed definition or its problems); {@code null} for a
 *                   deletion
 */
public record DefinitionChange(Kind kind, String oldPath, String newPath, ValidationResult validation) {

    /** What happened to a file. A copy counts as an addition: the source stays where it was. */
    public enum Kind { ADDED, MODIFIED, DELETED, RENAMED }

    public DefinitionChange {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DELETED) != (newPath == null) || (kind == Kind.ADDED) != (oldPath == null)) {
            throw new IllegalArgumentException("paths do not fit " + kind + ": " + oldPath + " -> " + newPath);
        }
        if ((kind == Kind.DELETED) != (validation == null)) {
            throw new IllegalArgumentException("a validation result is needed exactly for new content: " + newPath);
        }
    }

    public static DefinitionChange added(String path, ValidationResult validation) {
        return new DefinitionChange(Kind.ADDED, null, path, validation);
    }

    public static DefinitionChange modified(String path, ValidationResult validation) {
        return new DefinitionChange(Kind.MODIFIED, path, path, validation);
    }

    public static DefinitionChange deleted(String path) {
        return new DefinitionChange(Kind.DELETED, path, null, null);
    }

    public static DefinitionChange renamed(String oldPath, String newPath, ValidationResult validation) {
        return new DefinitionChange(Kind.RENAMED, oldPath, newPath, validation);
    }

    /** The file's path at the head, or its last path for a deletion. */
    String path() {
        return newPath != null ? newPath : oldPath;
    }
}
