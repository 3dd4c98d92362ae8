package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.gitwatcher.git.FileChange;
import java.util.Objects;

/**
 * A changed definition file with the validation result of its new content.
 *
 * @param change     what happened to the file
 * @param validation the per-file validation of the new content; {@code null} for a deletion
 */
public record ChangedFile(FileChange change, ValidationResult validation) {

    public ChangedFile {
        Objects.requireNonNull(change, "change");
        if ((change.kind() == FileChange.Kind.DELETED) != (validation == null)) {
            throw new IllegalArgumentException("a validation result is needed exactly for new content: " + change);
        }
    }
}
