package io.k0rdent.ops.notifier.commitstatus;

import java.util.Objects;

/**
 * The status one event asks for on its commit.
 *
 * @param cluster     the cluster (or, for an unreadable rejected file, its path): the status's context suffix
 * @param commit      the commit the status is set on
 * @param repository  the repository URL the event names, or {@code null} when it names none (only definition
 *                    events carry their Git source)
 * @param generation  the definition generation the event belongs to
 * @param rank        how far the flow got: a status never replaces one of the same commit and context with a higher
 *                    (generation, rank)
 * @param state       pending, success or failure
 * @param description a short sentence for the forge's UI (truncated per forge on sending)
 */
public record PlannedStatus(String cluster, String commit, String repository, long generation, int rank,
                            CommitState state, String description) {

    public PlannedStatus {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(description, "description");
    }
}
