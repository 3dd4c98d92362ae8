package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.k0ops.cli.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** A plan as text for a terminal: aligned tables, colour only when asked for (a TTY). */
public final class PlanReport {

    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";
    private static final Map<String, String> ACTION_COLORS = Map.of(
            "create", GREEN, "update", YELLOW, "delete", RED, "invalid", RED);

    private final PriceTable prices;
    private final boolean color;

    public PlanReport(PriceTable prices, boolean color) {
        this.prices = prices;
        this.color = color;
    }

    public void print(Plan plan, PrintWriter out) {
        for (ValidationProblem problem : plan.problems()) {
            out.println(problem);
        }
        if (!plan.problems().isEmpty()) {
            out.println();
        }
        if (plan.clusters().isEmpty()) {
            out.println("No clusters in the working copy and none applied.");
            out.flush();
            return;
        }
        Table clusters = new Table("CLUSTER", "ACTION", "FILE", "CHANGES");
        for (ClusterPlan c : plan.clusters()) {
            List<ChangedField> changes = c.changes();
            clusters.row(c.name(), c.action().label(), c.file() == null ? "" : c.file(),
                    changes.isEmpty() ? "" : changes.get(0).describe());
            for (ChangedField change : changes.subList(Math.min(1, changes.size()), changes.size())) {
                clusters.row("", "", "", change.describe());
            }
        }
        printColored(clusters, out);

        Table instances = new Table("CLUSTER", "POOL", "BEFORE", "AFTER", "LAUNCH", "REPLACE", "TERMINATE");
        for (ClusterPlan c : plan.clusters()) {
            for (PoolChange pool : c.pools()) {
                if (pool.changesInstances() || pool.keepsOldType()) {
                    instances.row(c.name(), pool.pool(), pool(pool.before()), pool(pool.after()),
                            pool.launch(), pool.replace(), pool.terminate());
                }
            }
        }
        if (!instances.isEmpty()) {
            out.println();
            out.println("Instances:");
            instances.print(out);
        }

        boolean anyNotes = plan.clusters().stream().anyMatch(c -> !c.notes().isEmpty());
        if (anyNotes) {
            out.println();
            out.println("Notes:");
            for (ClusterPlan c : plan.clusters()) {
                c.notes().forEach(note -> out.println("  " + c.name() + ": " + note));
            }
        }

        out.println();
        out.println("Estimated monthly cost (on-demand USD, " + prices.hoursPerMonth() + " h/month, prices of "
                + prices.asOf() + " from " + PriceTable.RESOURCE + "):");
        Table cost = new Table("CLUSTER", "REGION", "CURRENT", "PLANNED", "DELTA");
        for (ClusterPlan c : plan.clusters()) {
            cost.row(c.name(), c.region() == null ? "" : c.region(), c.current().label(), c.planned().label(),
                    c.planned().deltaLabel(c.current()));
        }
        MonthlyCost current = plan.currentCost();
        MonthlyCost planned = plan.plannedCost();
        cost.row("TOTAL", "", total(current), total(planned), planned.deltaLabel(current));
        cost.print(out);

        out.println();
        out.println(paint(summary(plan), plan.hasChanges() ? YELLOW : GREEN));
        out.flush();
    }

    /** {@code Plan: 1 to create, ...}: the line a reviewer reads first. */
    public static String summary(Plan plan) {
        if (!plan.hasChanges()) {
            return "No changes: the working copy matches the applied state"
                    + (plan.valid() ? "." : " (apart from the invalid definitions above).");
        }
        return "Plan: " + plan.count(ClusterPlan.Action.CREATE) + " to create, "
                + plan.count(ClusterPlan.Action.UPDATE) + " to update, "
                + plan.count(ClusterPlan.Action.DELETE) + " to delete, "
                + plan.count(ClusterPlan.Action.UNCHANGED) + " unchanged"
                + (plan.count(ClusterPlan.Action.INVALID) > 0 ? ", " + plan.count(ClusterPlan.Action.INVALID)
                + " invalid" : "")
                + ". Instances: " + plan.launch() + " to launch, " + plan.replace() + " to replace, "
                + plan.terminate() + " to terminate.";
    }

    private static String total(MonthlyCost cost) {
        // The known part is still worth seeing; the marker says it is not all of it.
        return cost.complete() ? cost.label() : "$" + cost.cents().toPlainString() + " + unknown";
    }

    private static String pool(NodePool pool) {
        return pool == null ? "-" : pool.count() + " × " + pool.instanceType();
    }

    private void printColored(Table table, PrintWriter out) {
        if (!color) {
            table.print(out);
            return;
        }
        // Colour after aligning: escape codes have no width on screen but would count in the table's.
        StringWriter plain = new StringWriter();
        table.print(new PrintWriter(plain));
        plain.toString().lines().forEach(line -> {
            String colored = line;
            for (Map.Entry<String, String> action : ACTION_COLORS.entrySet()) {
                String word = "  " + action.getKey() + " ";
                int at = line.indexOf(word);
                if (at >= 0) {
                    colored = line.substring(0, at + 2) + action.getValue() + action.getKey() + RESET
                            + line.substring(at + word.length() - 1);
                    break;
                }
            }
            out.println(colored);
        });
    }

    private String paint(String text, String colorCode) {
        return color ? colorCode + text + RESET : text;
    }
}
