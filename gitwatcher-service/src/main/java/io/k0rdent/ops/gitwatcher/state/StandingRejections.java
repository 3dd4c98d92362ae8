package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.gitwatcher.git.FileChange;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules library's {@link io.k0rdent.ops.rules.StandingRejections} over the mirror's file changes: the unchanged
 * files at the head that define no accepted cluster, planned again with every commit because the conflict that
 * kept them out may have gone.
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
        Set<String> standing = Set.copyOf(io.k0rdent.ops.rules.StandingRejections.select(state.accepted(),
                atHead.stream().map(FileChange::newPath).toList(),
                changed.stream().map(FileChange::newPath).filter(Objects::nonNull).collect(Collectors.toSet())));
        return atHead.stream().filter(f -> standing.contains(f.newPath())).toList();
    }
}
