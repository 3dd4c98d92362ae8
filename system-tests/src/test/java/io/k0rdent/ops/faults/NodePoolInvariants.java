package io.k0rdent.ops.faults;

import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node pools after scale-out, scale-in and rolling replacement, from EC2's side: no node slot was ever given a
 * second instance of the same type, nothing was launched the workload never asked for, and each kept cluster runs
 * exactly its slots, with Git's worker type, and nothing retired still running.
 */
final class NodePoolInvariants {

    private static final String CLUSTER = "k0rdent.io/cluster";
    private static final String ROLE = "k0rdent.io/role";
    private static final String SLOT = "k0rdent.io/slot";
    private static final String RETIRING = "k0rdent.io/retiring";

    private NodePoolInvariants() {
    }

    static void check(InvariantChecker.Observed o, List<String> violations, Map<String, Long> numbers) {
        launches(o, violations, numbers);
        endPools(o, violations);
    }

    private static void launches(InvariantChecker.Observed o, List<String> violations, Map<String, Long> numbers) {
        List<AuditEntry> runInstances = o.audit().entries("RunInstances");
        violations.addAll(launchViolations(runInstances, o.plans(), o.rolledBackAt(), numbers));
        numbers.put("RunInstances calls", (long) runInstances.size());
        numbers.put("RunInstances answered from an earlier ClientToken", runInstances.stream()
                .filter(e -> e.succeeded() && e.createdIds().isEmpty()).count());
        numbers.put("EC2 calls", (long) o.audit().size());
        numbers.put("EC2 calls throttled (RequestLimitExceeded)", o.audit().entries().stream()
                .filter(e -> "RequestLimitExceeded".equals(e.errorCode())).count());
        numbers.put("EC2 calls failed with 5xx", o.audit().entries().stream()
                .filter(e -> e.httpStatus() >= 500 && !"RequestLimitExceeded".equals(e.errorCode())).count());
    }

    /**
     * A slot is (cluster, role, slot, instance type): a rolling replacement launches the slot again with the new type,
     * once. No slot may get two instances, and every slot launched must be one the workload asked for: the
     * controller, the template's two workers of the first type, the final workers of the final type (the same slots
     * when the type stayed); a cluster the rollback brought back launches its final pool again. A slot asked for need
     * not be launched: a generation that failed before its instances and was superseded by the next push is never
     * realised (convergence is level-triggered), so those are counted, not reported; the end state checks that the
     * final pools run.
     */
    static List<String> launchViolations(List<AuditEntry> runInstances, List<ClusterPlan> plans, Instant rolledBackAt,
                                         Map<String, Long> numbers) {
        List<String> violations = new ArrayList<>();
        Map<String, ClusterPlan> byName = new TreeMap<>();
        plans.forEach(p -> byName.put(p.name(), p));
        Map<String, List<String>> launchedBySlot = new TreeMap<>();
        for (AuditEntry entry : runInstances) {
            if (entry.createdIds().isEmpty()) {
                continue;
            }
            String cluster = entry.tagSpecValue("instance", CLUSTER);
            String role = entry.tagSpecValue("instance", ROLE);
            String slotNumber = entry.tagSpecValue("instance", SLOT);
            String type = entry.params().get("InstanceType");
            ClusterPlan plan = byName.get(cluster);
            // A cluster the rollback brought back lives again: its slots are launched once more, once each. Only
            // clusters Git re-created get a second life, and only from the rollback's push on.
            boolean secondLife = rolledBackAt != null && entry.at().isAfter(rolledBackAt) && plan != null
                    && plan.recreated();
            String slot = cluster + "/" + role + "/" + slotNumber + "/" + type + (secondLife ? " (re-created)" : "");
            if (plan == null || !askedFor(plan, role, slotNumber, type, secondLife)) {
                violations.add("launched a node slot the workload never asked for: " + slot + " got "
                        + entry.createdIds());
            }
            launchedBySlot.computeIfAbsent(slot, s -> new ArrayList<>()).addAll(entry.createdIds());
        }
        launchedBySlot.forEach((slot, ids) -> {
            if (ids.size() > 1) {
                violations.add("launched twice: node slot " + slot + " got instances " + ids);
            }
        });
        long askedFor = plans.stream().mapToLong(NodePoolInvariants::slotsAskedFor).sum();
        numbers.put("node slots launched", (long) launchedBySlot.size());
        numbers.put("node slots of superseded generations never launched",
                Math.max(0, askedFor - launchedBySlot.size()));
        numbers.put("instances launched", launchedBySlot.values().stream().mapToLong(List::size).sum());
        return violations;
    }

    private static boolean askedFor(ClusterPlan plan, String role, String slotNumber, String type, boolean secondLife) {
        int slot;
        try {
            slot = Integer.parseInt(slotNumber);
        } catch (NumberFormatException e) {
            return false;
        }
        if ("controller".equals(role)) {
            return slot >= 0 && slot < ClusterPlan.CONTROLLERS;
        }
        if (!"worker".equals(role) || slot < 0) {
            return false;
        }
        boolean finalPool = type.equals(plan.workerType()) && slot < plan.workers();
        boolean templatePool = !secondLife && type.equals(ClusterPlan.INITIAL_WORKER_TYPE)
                && slot < ClusterPlan.INITIAL_WORKERS;
        return finalPool || templatePool;
    }

    static long slotsAskedFor(ClusterPlan p) {
        long workers = p.typeChanged() ? ClusterPlan.INITIAL_WORKERS + p.workers()
                : Math.max(ClusterPlan.INITIAL_WORKERS, p.workers());
        return ClusterPlan.CONTROLLERS + workers + (p.recreated() ? ClusterPlan.CONTROLLERS + p.workers() : 0);
    }

    /** Each kept cluster runs slots 0..n-1 of each role once, workers of Git's type, none marked retiring. */
    private static void endPools(InvariantChecker.Observed o, List<String> violations) {
        for (ClusterPlan plan : o.plans()) {
            if (plan.deleted()) {
                continue;
            }
            List<Ec2Inventory.Resource> instances = o.ec2().liveInstancesOf(plan.name());
            if (instances.size() != plan.nodes()) {
                violations.add("end state: " + plan.name() + " has " + instances.size() + " live instances, Git says "
                        + plan.nodes());
            }
            List<String> slots = new ArrayList<>();
            for (Ec2Inventory.Resource instance : instances) {
                String role = instance.tags().get(ROLE);
                slots.add(role + "/" + instance.tags().get(SLOT));
                if (instance.tags().get(RETIRING) != null) {
                    violations.add("end state: " + plan.name() + " still runs retired instance " + instance.id()
                            + " (" + instance.tags().get(RETIRING) + ")");
                }
                if ("worker".equals(role) && !plan.workerType().equals(instance.instanceType())) {
                    violations.add("end state: " + plan.name() + " worker " + instance.id() + " is "
                            + instance.instanceType() + ", Git says " + plan.workerType());
                }
            }
            List<String> wanted = new ArrayList<>();
            for (int slot = 0; slot < ClusterPlan.CONTROLLERS; slot++) {
                wanted.add("controller/" + slot);
            }
            for (int slot = 0; slot < plan.workers(); slot++) {
                wanted.add("worker/" + slot);
            }
            if (!new java.util.HashSet<>(slots).equals(new java.util.HashSet<>(wanted)) || slots.size() != wanted.size()) {
                violations.add("end state: " + plan.name() + " runs slots " + slots.stream().sorted().toList()
                        + ", Git says " + wanted);
            }
        }
    }
}
