package io.k0rdent.ops.gitwatcher.webhook;

import java.util.Set;

/**
 * The little a push webhook needs to say: which repository, which ref, and whether the ref was deleted.
 *
 * @param ref        e.g. {@code refs/heads/main} or {@code refs/tags/v1}
 * @param after      the new head, all zeros for a deletion
 * @param deleted    whether the ref was deleted
 * @param repository every name the payload gives the repository, in {@code RepositoryUrls.matchKey} form
 */
public record PushEvent(String ref, String after, boolean deleted, Set<String> repository) {

    private static final String BRANCH_PREFIX = "refs/heads/";

    public PushEvent {
        repository = Set.copyOf(repository);
    }

    /** The branch name, or null when the ref is not a branch (a tag, a note). */
    public String branch() {
        return ref != null && ref.startsWith(BRANCH_PREFIX) ? ref.substring(BRANCH_PREFIX.length()) : null;
    }
}
