package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.util.List;

/**
 * The difference between a working copy and the last applied state: per cluster what happens, the
 * definitions that would be rejected, and the estimated monthly cost before and after.
 *
 * @param clusters every cluster in either side, by name
 * @param problems definitions the gitwatcher would reject, as {@code k0ops validate} reports them
 * @param warnings things worth knowing that do not stop the plan (e.g. an instance type without a price)
 */
public record Plan(List<ClusterPlan> clusters, List<ValidationProblem> problems, List<String> warnings) {

    public Plan {
        clusters = List.copyOf(clusters);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** Whether applying the working copy would change any cluster. */
    public boolean hasChanges() {
        return clusters.stream().anyMatch(ClusterPlan::isChange);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    public long count(ClusterPlan.Action action) {
        return clusters.stream().filter(c -> c.action() == action).count();
    }

    public int launch() {
        return clusters.stream().mapToInt(ClusterPlan::launch).sum();
    }

    public int replace() {
        return clusters.stream().mapToInt(ClusterPlan::replace).sum();
    }

    public int terminate() {
        return clusters.stream().mapToInt(ClusterPlan::terminate).sum();
    }

    public MonthlyCost currentCost() {
        return clusters.stream().map(ClusterPlan::current).reduce(MonthlyCost.ZERO, MonthlyCost::plus);
    }

    public MonthlyCost plannedCost() {
        return clusters.stream().map(ClusterPlan::planned).reduce(MonthlyCost.ZERO, MonthlyCost::plus);
    }
}
