package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.git.CommitInfo;
import java.util.List;

/**
 * The change being processed: which branch, its new head and the commits it brings.
 *
 * @param key     repository and branch
 * @param head    the new head commit; events carry its id, author and subject
 * @param commits every new commit id, oldest first, the head last
 */
public record PushContext(WatchKey key, CommitInfo head, List<String> commits) {

    public PushContext {
        commits = List.copyOf(commits);
    }
}
