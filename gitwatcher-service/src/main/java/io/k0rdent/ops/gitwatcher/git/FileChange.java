package io.k0rdent.ops.gitwatcher.git;

import java.util.Objects;

/**
 * One definition file that differs between the last processed tree and the new one, as found by
 * the tree diff (renames detected). Paths are repository-relative.
 *
 * @param kind    what happened to the file
 * @param oldPath the path before; {@code null} for {@link Kind#ADDED}
 * @param newPath the path after; {@code null} for {@link Kind#DELETED}
 * @param newBlob id of the new content, to read it; {@code null} for {@link Kind#DELETED}
 */
public record FileChange(Kind kind, String oldPath, String newPath, String newBlob) {

    /** What happened to a file. A copy counts as an addition: the source stays where it was. */
    public enum Kind { ADDED, MODIFIED, DELETED, RENAMED }

    public FileChange {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DELETED) != (newPath == null) || (kind == Kind.ADDED) != (oldPath == null)) {
            throw new IllegalArgumentException("paths do not fit " + kind + ": " + oldPath + " -> " + newPath);
        }
    }

    public static FileChange added(String path, String blob) {
        return new FileChange(Kind.ADDED, null, path, blob);
    }

    public static FileChange modified(String path, String blob) {
        return new FileChange(Kind.MODIFIED, path, path, blob);
    }

    public static FileChange deleted(String path) {
        return new FileChange(Kind.DELETED, path, null, null);
    }

    public static FileChange renamed(String oldPath, String newPath, String blob) {
        return new FileChange(Kind.RENAMED, oldPath, newPath, blob);
    }
}
