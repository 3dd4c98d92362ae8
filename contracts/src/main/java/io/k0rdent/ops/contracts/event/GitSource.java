package io.k0rdent.ops.contracts.event;

import java.util.List;

/**
 * Where in Git a definition event comes from. Credentials are never part of {@code repository}.
 *
 * @param repository   the repository URL without user info
 * @param branch       the watched branch, e.g. {@code main}
 * @param path         repository-relative path of the definition file
 * @param previousPath the path before a rename, else {@code null}
 * @param commit       the head commit that was processed
 * @param commits      every commit id the push brought in, oldest first (the head is last)
 * @param message      the head commit's message (first line)
 */
public record GitSource(
        String repository,
        String branch,
        String path,
        String previousPath,
        String commit,
        List<String> commits,
        String message) {

    public GitSource {
        commits = commits == null ? List.of() : List.copyOf(commits);
    }
}
