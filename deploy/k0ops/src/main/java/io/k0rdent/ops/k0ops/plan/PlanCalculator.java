package io.k0rdent.ops.k0ops.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.validation.DefinitionPaths;
import io.k0rdent.ops.contracts.validation.JsonPaths;
import io.k0rdent.ops.contracts.validation.LocationIndex;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.SourceLocation;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the definitions of a working copy with the last applied ones and says, per cluster, what
 * the gitwatcher would publish and what the provisioner would then do to its instances, with the
 * estimated monthly cost before and after. Pure: no I/O, so every rule is a unit test.
 *
 * <p>The repository-wide rules the gitwatcher applies on top of the per-file validator are checked
 * here too, because a change they reject changes nothing: duplicate names, immutable fields (region,
 * VPC block) and deletion protection. Overlapping VPC blocks between clusters are not checked.
 */
public final class PlanCalculator {

    private final PriceTable prices;
    private final ObjectMapper mapper = EventJson.newMapper();

    public PlanCalculator(PriceTable prices) {
        this.prices = prices;
    }

    /**
     * @param files   the validated definition files of the working copy (see {@link WorkingCopy})
     * @param applied cluster name → last applied definition
     */
    public Plan plan(List<ValidationResult> files, Map<String, AppliedCluster> applied) {
        List<ValidationProblem> problems = new ArrayList<>();
        Set<String> invalidNames = new HashSet<>();
        Set<String> invalidPaths = new HashSet<>();
        Map<String, String> invalidFileOf = new HashMap<>();
        Map<String, List<ValidationResult>> byName = new TreeMap<>();
        for (ValidationResult file : files) {
            if (file.isValid()) {
                byName.computeIfAbsent(file.definition().name(), n -> new ArrayList<>()).add(file);
            } else {
                problems.addAll(file.problems());
                invalidPaths.add(file.file());
                if (file.clusterName() != null) {
                    invalidNames.add(file.clusterName());
                    invalidFileOf.putIfAbsent(file.clusterName(), file.file());
                }
            }
        }
        Map<String, ValidationResult> desired = new TreeMap<>();
        byName.forEach((name, candidates) -> {
            ValidationResult chosen = chooseAmongDuplicates(candidates, applied.get(name));
            desired.put(name, chosen);
            for (ValidationResult other : candidates) {
                if (other != chosen) {
                    problems.add(problem(other.file(), other.locations(), DefinitionPaths.NAME, Rule.DUPLICATE_NAME,
                            "cluster name " + name + " is already defined in " + chosen.file()));
                }
            }
        });

        Set<String> names = new TreeSet<>(desired.keySet());
        names.addAll(applied.keySet());
        names.addAll(invalidNames);
        List<ClusterPlan> clusters = new ArrayList<>();
        for (String name : names) {
            ValidationResult want = desired.get(name);
            AppliedCluster have = applied.get(name);
            if (invalidNames.contains(name)) {
                clusters.add(unchanged(name, ClusterPlan.Action.INVALID, invalidFileOf.get(name), have));
            } else if (have == null) {
                clusters.add(create(want));
            } else if (want == null) {
                clusters.add(delete(name, have, invalidPaths, problems));
            } else {
                clusters.add(update(want, have, problems));
            }
        }
        return new Plan(clusters, sorted(problems), warnings(clusters));
    }

    private static ValidationResult chooseAmongDuplicates(List<ValidationResult> candidates, AppliedCluster applied) {
        // The gitwatcher keeps the file it accepted before and rejects the newcomer.
        if (applied != null) {
            for (ValidationResult candidate : candidates) {
                if (candidate.file().equals(applied.path())) {
                    return candidate;
                }
            }
        }
        return candidates.get(0);
    }

    private ClusterPlan create(ValidationResult want) {
        ClusterDefinition d = want.definition();
        List<PoolChange> pools = List.of(
                PoolChange.between(PoolChange.CONTROLLERS, null, d.spec().nodes().controllers()),
                PoolChange.between(PoolChange.WORKERS, null, d.spec().nodes().workers()));
        return new ClusterPlan(d.name(), ClusterPlan.Action.CREATE, want.file(), d.spec().region(), List.of(),
                List.of(), pools, MonthlyCost.ZERO, planned(pools, d.spec().region()).plus(NetworkCost.of(prices, d)));
    }

    private ClusterPlan delete(String name, AppliedCluster have, Set<String> invalidPaths,
                               List<ValidationProblem> problems) {
        if (invalidPaths.contains(have.path())) {
            // The file is still there but unreadable: the gitwatcher rejects it and keeps the cluster.
            return unchanged(name, ClusterPlan.Action.INVALID, have.path(), have);
        }
        ClusterDefinition d = have.definition();
        if (d.spec().deletionProtection()) {
            problems.add(new ValidationProblem(have.path(), 0, 0, DefinitionPaths.DELETION_PROTECTION,
                    Rule.DELETION_PROTECTED, "cluster " + name + " has spec.deletionProtection: true and is kept;"
                    + " set it to false in a commit before removing its file"));
            return unchanged(name, ClusterPlan.Action.INVALID, have.path(), have);
        }
        List<PoolChange> pools = List.of(
                PoolChange.between(PoolChange.CONTROLLERS, d.spec().nodes().controllers(), null),
                PoolChange.between(PoolChange.WORKERS, d.spec().nodes().workers(), null));
        return new ClusterPlan(name, ClusterPlan.Action.DELETE, have.path(), d.spec().region(), List.of(),
                List.of("the VPC, its subnets and security groups are destroyed with the instances"), pools,
                current(pools, d.spec().region()).plus(NetworkCost.of(prices, d)), MonthlyCost.ZERO);
    }

    private ClusterPlan update(ValidationResult want, AppliedCluster have, List<ValidationProblem> problems) {
        ClusterDefinition before = have.definition();
        ClusterDefinition after = want.definition();
        String name = after.name();
        List<ValidationProblem> immutable = new ArrayList<>();
        checkImmutable(immutable, want, DefinitionPaths.REGION, "spec.region",
                before.spec().region(), after.spec().region());
        checkImmutable(immutable, want, DefinitionPaths.VPC_CIDR, "spec.networking.vpcCidr",
                before.spec().networking().vpcCidr(), after.spec().networking().vpcCidr());
        if (!immutable.isEmpty()) {
            problems.addAll(immutable);
            return unchanged(name, ClusterPlan.Action.INVALID, want.file(), have);
        }
        List<ChangedField> changes = diff(before, after);
        if (changes.isEmpty()) {
            return unchanged(name, ClusterPlan.Action.UNCHANGED, want.file(), have);
        }
        NodePool c0 = before.spec().nodes().controllers();
        NodePool c1 = after.spec().nodes().controllers();
        NodePool w0 = before.spec().nodes().workers();
        NodePool w1 = after.spec().nodes().workers();
        List<PoolChange> pools = List.of(PoolChange.between(PoolChange.CONTROLLERS, c0, c1),
                PoolChange.between(PoolChange.WORKERS, w0, w1));
        String region = after.spec().region();
        return new ClusterPlan(name, ClusterPlan.Action.UPDATE, want.file(), region, changes,
                notes(changes, c0, c1, w0, w1), pools, current(pools, region).plus(NetworkCost.of(prices, before)),
                planned(pools, region).plus(NetworkCost.of(prices, after)));
    }

    private void checkImmutable(List<ValidationProblem> problems, ValidationResult file, String path, String field,
                                String before, String after) {
        if (!Objects.equals(before, after)) {
            problems.add(problem(file.file(), file.locations(), path, Rule.IMMUTABLE_FIELD,
                    field + " cannot change: " + before + " -> " + after));
        }
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

    /** The changed leaves between two definitions, sorted by path; key order in the YAML is not a change. */
    List<ChangedField> diff(ClusterDefinition before, ClusterDefinition after) {
        List<ChangedField> changes = new ArrayList<>();
        compare(JsonPaths.ROOT, mapper.valueToTree(before), mapper.valueToTree(after), changes);
        return changes;
    }

    private static void compare(String path, JsonNode before, JsonNode after, List<ChangedField> out) {
        boolean beforeAbsent = before == null || before.isNull();
        boolean afterAbsent = after == null || after.isNull();
        if (beforeAbsent && afterAbsent) {
            return;
        }
        if (!beforeAbsent && !afterAbsent && before.isObject() && after.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(JsonPaths.child(path, name), before.get(name), after.get(name), out);
            }
            return;
        }
        if (beforeAbsent || afterAbsent || !before.equals(after)) {
            out.add(new ChangedField(path.startsWith("$.") ? path.substring(2) : path,
                    beforeAbsent ? null : text(before), afterAbsent ? null : text(after)));
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }

    private static ValidationProblem problem(String file, LocationIndex locations, String path, Rule rule,
                                             String message) {
        SourceLocation at = locations.find(path).orElse(SourceLocation.WHOLE_FILE);
        return new ValidationProblem(file, at.line(), at.column(), path, rule, message);
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
