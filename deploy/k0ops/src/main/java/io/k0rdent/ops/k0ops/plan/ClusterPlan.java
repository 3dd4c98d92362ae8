package io.k0rdent.ops.k0ops.plan;

import java.util.List;

/**
 * What a plan does to one cluster.
 *
 * @param name    the cluster name
 * @param action  create, update, delete, unchanged, or invalid (the change would be rejected, so nothing
 *                happens to the cluster)
 * @param file    the definition file in the working copy, or the last applied one for a delete
 * @param region  the cluster's region
 * @param changes the changed fields of an update, sorted by path
 * @param notes   what the changes mean beyond instances, e.g. an in-place k0s upgrade
 * @param pools   the controllers' and workers' instance changes (empty when unchanged or invalid)
 * @param current the estimated monthly cost of the applied definition
 * @param planned the estimated monthly cost once the plan is applied
 */
public record ClusterPlan(String name, Action action, String file, String region, List<ChangedField> changes,
                          List<String> notes, List<PoolChange> pools, MonthlyCost current, MonthlyCost planned) {

    /** What happens to a cluster. */
    public enum Action {
        CREATE, UPDATE, DELETE, UNCHANGED, INVALID;

        /** The lower-case word used in the output. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ClusterPlan {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
        pools = List.copyOf(pools);
    }

    public boolean isChange() {
        return action == Action.CREATE || action == Action.UPDATE || action == Action.DELETE;
    }

    public int launch() {
        return pools.stream().mapToInt(PoolChange::launch).sum();
    }

    public int replace() {
        return pools.stream().mapToInt(PoolChange::replace).sum();
    }

    public int terminate() {
        return pools.stream().mapToInt(PoolChange::terminate).sum();
    }
}
