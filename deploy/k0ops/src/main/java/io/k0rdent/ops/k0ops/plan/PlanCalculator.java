package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import io.k0rdent.ops.rules.AcceptedDefinition;
import io.k0rdent.ops.rules.AcceptedDefinitions;
import io.k0rdent.ops.rules.CommitRules;
import io.k0rdent.ops.rules.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the definitions of a working copy with the last applied ones and says, per cluster, what
 * the gitwatcher would publish and what the provisioner would then do to its instances, with the
 * estimated monthly cost before and after. Pure: no I/O, so every rule is a unit test.
 *
 * <p>What happens to each cluster (created, updated, deleted, unchanged, or rejected and by which rule) is decided
 * by the rules library's {@link CommitRules}, the gitwatcher's own implementation, so the plan cannot drift from
 * what will be published ({@code RulesAgreementTest} runs both). This class adds what is the plan's: instances per
 * pool, cost, and notes on what a change means.
 */
public final class PlanCalculator {

    private final PriceTable prices;
    private final CommitRules rules = new CommitRules();

    public PlanCalculator(PriceTable prices) {
        this.prices = prices;
    }

    /**
     * @param files   the validated definition files of the working copy (see {@link WorkingCopy})
     * @param applied cluster name → last applied definition
     */
    public Plan plan(List<ValidationResult> files, Map<String, AppliedCluster> applied) {
        Map<String, ValidationResult> tree = new TreeMap<>();
        files.forEach(f -> tree.put(f.file(), f));
        AcceptedDefinitions accepted = AcceptedDefinitions.of(applied.entrySet().stream()
                .map(e -> new AcceptedDefinition(e.getKey(), e.getValue().path(), e.getValue().definition())).toList());
        List<ValidationProblem> problems = new ArrayList<>();
        Map<String, List<Verdict>> byCluster = new TreeMap<>();
        for (Verdict verdict : rules.decideTree(accepted, tree)) {
            String cluster = verdict.name();
            if (verdict instanceof Verdict.Rejected r) {
                problems.addAll(r.problems());
                if (r.accepted() == null && r.name().equals(r.path())) {
                    // A new file too broken to name a cluster: a problem, but no cluster to show.
                    continue;
                }
                // Under the cluster the refused change would have touched: a name changed in a file is dev-01's
                // rejection, not a new cluster dev-02.
                cluster = r.accepted() != null ? r.accepted() : r.name();
            }
            byCluster.computeIfAbsent(cluster, n -> new ArrayList<>()).add(verdict);
        }
        List<ClusterPlan> clusters = new ArrayList<>();
        byCluster.forEach((name, verdicts) -> clusters.add(cluster(name, verdicts, applied.get(name))));
        return new Plan(clusters, sorted(problems), warnings(clusters));
    }

    /**
     * One cluster's row from its verdicts. A change wins over a rejection of another file naming the cluster (a
     * duplicate); a rejection of its own file (or of its only file, for a new cluster) makes it invalid.
     */
    private ClusterPlan cluster(String name, List<Verdict> verdicts, AppliedCluster have) {
        for (Verdict v : verdicts) {
            if (v instanceof Verdict.Create c) {
                return create(c.path(), c.definition());
            }
            if (v instanceof Verdict.Update u) {
                return update(u, have);
            }
            if (v instanceof Verdict.Delete d) {
                return delete(name, d.path(), have);
            }
        }
        String ownFile = verdicts.stream().filter(v -> v instanceof Verdict.Unchanged).map(Verdict::path).findFirst()
                .orElse(have == null ? null : have.path());
        List<Verdict.Rejected> rejected = verdicts.stream().filter(v -> v instanceof Verdict.Rejected)
                .map(v -> (Verdict.Rejected) v).toList();
        Optional<Verdict.Rejected> own = rejected.stream().filter(r -> r.path().equals(ownFile)).findFirst();
        if (own.isPresent()) {
            return unchanged(name, ClusterPlan.Action.INVALID, own.get().path(), have);
        }
        if (ownFile != null && verdicts.stream().anyMatch(v -> v instanceof Verdict.Unchanged)) {
            return unchanged(name, ClusterPlan.Action.UNCHANGED, ownFile, have);
        }
        return unchanged(name, ClusterPlan.Action.INVALID, rejected.isEmpty() ? ownFile : rejected.get(0).path(), have);
    }

    private ClusterPlan create(String file, ClusterDefinition d) {
        List<PoolChange> pools = List.of(
                PoolChange.between(PoolChange.CONTROLLERS, null, d.spec().nodes().controllers()),
                PoolChange.between(PoolChange.WORKERS, null, d.spec().nodes().workers()));
        return new ClusterPlan(d.name(), ClusterPlan.Action.CREATE, file, d.spec().region(), List.of(),
                List.of(), pools, MonthlyCost.ZERO, planned(pools, d.spec().region()).plus(NetworkCost.of(prices, d)));
    }

    private ClusterPlan delete(String name, String file, AppliedCluster have) {
        ClusterDefinition d = have.definition();
        List<PoolChange> pools = List.of(
                PoolChange.between(PoolChange.CONTROLLERS, d.spec().nodes().controllers(), null),
                PoolChange.between(PoolChange.WORKERS, d.spec().nodes().workers(), null));
        return new ClusterPlan(name, ClusterPlan.Action.DELETE, file, d.spec().region(), List.of(),
                List.of("the VPC, its subnets and security groups are destroyed with the instances"), pools,
                current(pools, d.spec().region()).plus(NetworkCost.of(prices, d)), MonthlyCost.ZERO);
    }

    private ClusterPlan update(Verdict.Update want, AppliedCluster have) {
        ClusterDefinition before = have.definition();
        ClusterDefinition after = want.definition();
        String name = want.name();
        List<ChangedField> changes = want.changes().stream().map(ChangedField::of).toList();
        NodePool c0 = before.spec().nodes().controllers();
        NodePool c1 = after.spec().nodes().controllers();
        NodePool w0 = before.spec().nodes().workers();
        NodePool w1 = after.spec().nodes().workers();
        List<PoolChange> pools = List.of(PoolChange.between(PoolChange.CONTROLLERS, c0, c1),
                PoolChange.between(PoolChange.WORKERS, w0, w1));
        String region = after.spec().region();
        return new ClusterPlan(name, ClusterPlan.Action.UPDATE, want.path(), region, changes,
                notes(changes, c0, c1, w0, w1), pools, current(pools, region).plus(NetworkCost.of(prices, before)),
                planned(pools, region).plus(NetworkCost.of(prices, after)));
    }

    /** A cluster the plan leaves as it is; its cost is that of the applied definition, before and after. */
    private ClusterPlan unchanged(String name, ClusterPlan.Action action, String file, AppliedCluster have) {
        if (have == null) {
            return new ClusterPlan(name, action, file, null, List.of(), List.of(), List.of(),
                    MonthlyCost.ZERO, MonthlyCost.ZERO);
        }
        ClusterDefinition d = have.definition();
        String region = d.spec().region();
        MonthlyCost cost = MonthlyCost.of(prices, region, d.spec().nodes().controllers().instanceType(),
                        d.spec().nodes().controllers().count())
                .plus(MonthlyCost.of(prices, region, d.spec().nodes().workers().instanceType(),
                        d.spec().nodes().workers().count()))
                .plus(NetworkCost.of(prices, d));
        return new ClusterPlan(name, action, file, region, List.of(), List.of(), List.of(), cost, cost);
    }

    private MonthlyCost current(List<PoolChange> pools, String region) {
        return pools.stream().map(p -> p.currentCost(prices, region)).reduce(MonthlyCost.ZERO, MonthlyCost::plus);
    }

    private MonthlyCost planned(List<PoolChange> pools, String region) {
        return pools.stream().map(p -> p.plannedCost(prices, region)).reduce(MonthlyCost.ZERO, MonthlyCost::plus);
    }

    /** What the changes mean for the running cluster, beyond the instance counts. */
    private static List<String> notes(List<ChangedField> changes, NodePool c0, NodePool c1, NodePool w0, NodePool w1) {
        Set<String> notes = new LinkedHashSet<>();
        for (ChangedField change : changes) {
            String path = change.path();
            if (path.equals("spec.k0s.version")) {
                notes.add("k0s " + change.before() + " → " + change.after()
                        + ": upgraded in place over SSH, no instance is replaced");
            } else if (path.startsWith("spec.addons")) {
                notes.add("add-ons are changed in place, no instance is replaced");
            } else if (path.equals("spec.ssh.keyName")) {
                notes.add("the new key pair applies to instances launched from now on; running instances keep theirs");
            } else if (path.equals("spec.networking.publicIp")) {
                notes.add("publicIp applies to instances launched from now on; running instances and subnets"
                        + " are unchanged");
            } else if (path.startsWith("metadata.")) {
                notes.add("labels and annotations change no infrastructure (they route notifications)");
            }
        }
        if (!c0.instanceType().equals(c1.instanceType())) {
            notes.add("controllers keep their instance type (a change would need etcd membership changes): running"
                    + " controllers stay " + c0.instanceType() + ", only controllers launched from now on are "
                    + c1.instanceType());
        }
        if (!w0.instanceType().equals(w1.instanceType()) && Math.min(w0.count(), w1.count()) > 0) {
            notes.add("workers are replaced rolling: a " + w1.instanceType() + " is launched per slot and the old "
                    + w0.instanceType() + " terminated once drained");
        }
        return List.copyOf(notes);
    }

    private static List<ValidationProblem> sorted(List<ValidationProblem> problems) {
        return problems.stream().sorted(java.util.Comparator.comparing(ValidationProblem::file)
                .thenComparingInt(ValidationProblem::line).thenComparingInt(ValidationProblem::column)).toList();
    }

    private static List<String> warnings(List<ClusterPlan> clusters) {
        Set<String> unpriced = new TreeSet<>();
        for (ClusterPlan c : clusters) {
            unpriced.addAll(c.current().unpriced());
            unpriced.addAll(c.planned().unpriced());
        }
        return unpriced.stream().map(u -> "no price for " + u.substring(u.indexOf('/') + 1) + " in "
                + u.substring(0, u.indexOf('/')) + " in " + PriceTable.RESOURCE
                + ": unknown price, left out of the totals").toList();
    }
}
