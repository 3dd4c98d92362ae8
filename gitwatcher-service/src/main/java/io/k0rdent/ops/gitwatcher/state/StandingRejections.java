package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.gitwatcher.git.FileChange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The definition files that a commit leaves as they were but that define no accepted cluster: the ones
 * rejected earlier. Rules that compare files (duplicate names, overlapping VPC blocks) are level-triggered:
 * such a file is planned again with every commit, because the conflict that kept it out may have gone
 * without the file itself changing.
 *
 * <p>Derived from the tree at the head and the accepted state, both durable (Git and the state topic), so it
 * needs no record of its own and reads the same after a restart or a crash before the commit.
 */
public final class StandingRejections {

    private StandingRejections() {
    }

    /**
     * @param state   the branch's accepted clusters before this commit
     * @param atHead  every definition file at the new head, as additions
     * @param changed the files the commit changed; those are planned as changes already
     * @return the files of {@code atHead} to plan again, in the order given
     */
    public static List<FileChange> select(BranchState state, List<FileChange> atHead, List<FileChange> changed) {
        Set<String> changedPaths = new HashSet<>();
        for (FileChange c : changed) {
            if (c.newPath() != null) {
                changedPaths.add(c.newPath());
            }
        }
        return atHead.stream()
                .filter(f -> !changedPaths.contains(f.newPath()))
                .filter(f -> state.clusterAt(f.newPath()).isEmpty())
                .toList();
    }
}
