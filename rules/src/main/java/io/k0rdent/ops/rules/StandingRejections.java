package io.k0rdent.ops.rules;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The definition files that a commit leaves as they were but that define no accepted cluster: the ones
 * rejected earlier. Rules that compare files (duplicate names, overlapping VPC blocks) are level-triggered:
 * such a file is planned again with every commit, because the conflict that kept it out may have gone
 * without the file itself changing.
 *
 * <p>Derived from the tree at the head and the accepted state, both durable, so it needs no record of its own and
 * reads the same after a restart.
 */
public final class StandingRejections {

    private StandingRejections() {
    }

    /**
     * @param accepted     the accepted clusters before this commit
     * @param atHead       the path of every definition file at the new head
     * @param changedPaths the new paths of the files the commit changed; those are planned as changes already
     * @return the paths of {@code atHead} to plan again, in the order given
     */
    public static List<String> select(AcceptedDefinitions accepted, List<String> atHead, Collection<String> changedPaths) {
        Set<String> changed = new HashSet<>(changedPaths);
        return atHead.stream()
                .filter(path -> !changed.contains(path))
                .filter(path -> accepted.clusterAt(path).isEmpty())
                .toList();
    }
}
