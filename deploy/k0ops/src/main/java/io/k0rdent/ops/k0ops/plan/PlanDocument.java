package io.k0rdent.ops.k0ops.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code -o json} form of a plan: a document of its own, so the output stays stable when the
 * internal classes change. Only add fields; {@code formatVersion} changes when one is removed or
 * changes meaning. Amounts are USD per month; {@code null} (left out) when a price is unknown.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PlanDocument(int formatVersion, boolean changes, boolean valid, Summary summary,
                           List<Cluster> clusters, Cost cost, List<ValidationProblem> problems,
                           List<String> warnings, Pricing pricing) {

    public static final int FORMAT_VERSION = 1;

    public record Summary(long create, long update, long delete, long unchanged, long invalid,
                          int launch, int replace, int terminate) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Cluster(String name, String action, String file, String region, List<ChangedField> changes,
                          List<String> notes, List<Pool> pools, Cost cost) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Pool(String pool, NodePool before, NodePool after, int launch, int replace, int terminate) {
    }

    /** Known amounts only when complete; {@code unpriced} names what the table lacks. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Cost(BigDecimal current, BigDecimal planned, BigDecimal delta, List<String> unpriced) {

        static Cost of(MonthlyCost current, MonthlyCost planned) {
            List<String> unpriced = current.plus(planned).unpriced();
            return new Cost(current.complete() ? current.cents() : null, planned.complete() ? planned.cents() : null,
                    current.complete() && planned.complete()
                            ? planned.usd().subtract(current.usd()).setScale(2, java.math.RoundingMode.HALF_UP) : null,
                    unpriced);
        }
    }

    public record Pricing(String source, String asOf, String currency, int hoursPerMonth) {
    }

    public static PlanDocument of(Plan plan, PriceTable prices) {
        List<Cluster> clusters = plan.clusters().stream().map(c -> new Cluster(c.name(), c.action().label(), c.file(),
                c.region(), c.changes(), c.notes(),
                c.pools().stream().map(p -> new Pool(p.pool(), p.before(), p.after(), p.launch(), p.replace(),
                        p.terminate())).toList(),
                Cost.of(c.current(), c.planned()))).toList();
        Summary summary = new Summary(plan.count(ClusterPlan.Action.CREATE), plan.count(ClusterPlan.Action.UPDATE),
                plan.count(ClusterPlan.Action.DELETE), plan.count(ClusterPlan.Action.UNCHANGED),
                plan.count(ClusterPlan.Action.INVALID), plan.launch(), plan.replace(), plan.terminate());
        return new PlanDocument(FORMAT_VERSION, plan.hasChanges(), plan.valid(), summary, clusters,
                Cost.of(plan.currentCost(), plan.plannedCost()), plan.problems(), plan.warnings(),
                new Pricing(prices.source(), prices.asOf(), "USD", prices.hoursPerMonth()));
    }
}
