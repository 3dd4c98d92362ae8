package io.k0rdent.ops.gitwatcher;

import java.util.Objects;

/**
 * Identifies one watched branch: the repository URL without credentials and the branch name.
 * {@link #toString()} is the state topic's watermark key, {@code <repository>#<branch>}.
 */
public record WatchKey(String repository, String branch) {

    public WatchKey {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(branch, "branch");
    }

    @Override
    public String toString() {
        return repository + "#" + branch;
    }
}
