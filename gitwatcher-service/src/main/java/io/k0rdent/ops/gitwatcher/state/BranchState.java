package io.k0rdent.ops.gitwatcher.state;

import io.k0rdent.ops.rules.AcceptedDefinition;
import io.k0rdent.ops.rules.AcceptedDefinitions;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the gitwatcher knows about one watched branch: the last processed commit and every accepted
 * cluster. It is the in-memory image of the branch's records on the state topic.
 *
 * <p>Not thread-safe: one sync of a branch runs at a time, and readers get copies or immutable values.
 */
public final class BranchState {

    private volatile String watermark;
    private long highestGeneration;
    private final Map<String, AcceptedCluster> byName = new HashMap<>();
    private final Map<String, String> nameByPath = new HashMap<>();

    /** The last processed commit, or {@code null} before the first sync. */
    public String watermark() {
        return watermark;
    }

    /**
     * The highest generation ever given to a cluster of this branch. A cluster created again after
     * its deletion continues above it, because the deleted cluster's own record was tombstoned.
     */
    public long highestGeneration() {
        return highestGeneration;
    }

    public Optional<AcceptedCluster> cluster(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<AcceptedCluster> clusterAt(String path) {
        String name = path == null ? null : nameByPath.get(path);
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public Collection<AcceptedCluster> clusters() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** The accepted definitions as the rules library reads them, with this state's own index of files. */
    public AcceptedDefinitions accepted() {
        return AcceptedDefinitions.of(byName.values().stream()
                .map(c -> new AcceptedDefinition(c.name(), c.path(), c.definition())).toList(), nameByPath);
    }

    public int size() {
        return byName.size();
    }

    void setWatermark(String commit, long highest) {
        this.watermark = commit;
        this.highestGeneration = Math.max(highestGeneration, highest);
    }

    void put(AcceptedCluster cluster) {
        AcceptedCluster previous = byName.put(cluster.name(), cluster);
        if (previous != null && cluster.name().equals(nameByPath.get(previous.path()))) {
            nameByPath.remove(previous.path());
        }
        nameByPath.put(cluster.path(), cluster.name());
        highestGeneration = Math.max(highestGeneration, cluster.generation());
    }

    void remove(String name) {
        AcceptedCluster previous = byName.remove(name);
        if (previous != null && name.equals(nameByPath.get(previous.path()))) {
            nameByPath.remove(previous.path());
        }
    }

    /** Applies a plan whose records were committed. */
    public void apply(ChangePlan plan) {
        for (ChangePlan.StateChange change : plan.stateChanges()) {
            if (change.upsert() != null) {
                put(change.upsert());
            } else {
                remove(change.removedName());
            }
        }
        setWatermark(plan.commit(), plan.highestGeneration());
    }
}
