package io.k0rdent.ops.faults;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether every cluster has reached what Git says, judged from the lifecycle topics alone: the gitwatcher published
 * the definition Git holds, and the cluster is Ready at that generation with the right node count (Kubernetes nodes:
 * the workers; k0s controllers run no kubelet) and k0s version,
 * or destroyed after its deletion.
 */
final class Convergence {

    private Convergence() {
    }

    /**
     * The clusters that have not converged, each with why; empty when all have.
     *
     * @param failureSettles whether a failure at the current generation counts as settled (phases whose next
     *                       change in Git drives the cluster again: a failed bootstrap is retried by the next event)
     */
    static List<String> pending(TopicSnapshot snapshot, List<ClusterPlan> plans, boolean failureSettles) {
        List<String> pending = new ArrayList<>();
        for (ClusterPlan plan : plans) {
            why(snapshot.eventsOf(plan.name()), plan, failureSettles).ifPresent(w -> pending.add(plan.name() + ": " + w));
        }
        return pending;
    }

    static Optional<ClusterDefinitionChanged> latestDefinition(List<ClusterEvent> events) {
        return events.stream().filter(ClusterDefinitionChanged.class::isInstance).map(ClusterDefinitionChanged.class::cast)
                .max(Comparator.comparingLong(e -> e.header().generation()));
    }

    private static Optional<String> why(List<ClusterEvent> events, ClusterPlan plan, boolean failureSettles) {
        Optional<ClusterDefinitionChanged> latest = latestDefinition(events);
        if (latest.isEmpty()) {
            return Optional.of("no definition event yet");
        }
        long generation = latest.get().header().generation();
        if (plan.deleted()) {
            if (!(latest.get() instanceof ClusterDefinitionDeleted)) {
                return Optional.of("deletion not published yet");
            }
            boolean destroyed = events.stream().anyMatch(e -> e instanceof InfrastructureDestroyed
                    && e.header().generation() >= generation);
            return destroyed ? Optional.empty() : Optional.of("not destroyed at generation " + generation);
        }
        ClusterDefinition definition = latest.get() instanceof ClusterDefinitionCreated c ? c.definition()
                : latest.get() instanceof ClusterDefinitionUpdated u ? u.definition() : null;
        if (definition == null) {
            return Optional.of("latest definition is a deletion");
        }
        if (definition.spec().nodes().workers().count() != plan.workers()
                || !definition.spec().k0s().version().equals(plan.version())) {
            return Optional.of("Git's change not published yet (generation " + generation + ")");
        }
        boolean ready = events.stream().anyMatch(e -> e instanceof ClusterReady r && r.header().generation() == generation
                && r.nodes().size() == plan.workers() && r.k0sVersion() != null && r.k0sVersion().contains(plan.version()));
        if (ready) {
            return Optional.empty();
        }
        boolean failed = events.stream().anyMatch(e -> (e instanceof BootstrapFailed || e instanceof ProvisioningFailed)
                && e.header().generation() == generation);
        if (failed && failureSettles) {
            return Optional.empty();
        }
        return Optional.of((failed ? "failed" : "not Ready") + " at generation " + generation);
    }
}
