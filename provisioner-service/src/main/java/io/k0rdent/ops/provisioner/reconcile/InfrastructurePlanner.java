package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Compares the desired node pools with the instances EC2 reports and decides, slot by slot, what to launch, keep and
 * retire. Pure: no I/O, so every case is a fast unit test.
 *
 * <p>Rules: each role has slots {@code 0..count-1}. A slot is filled by a live, non-retiring instance tagged with
 * it. A worker of the wrong instance type is replaced: a new instance is launched for its slot and the old one is
 * retired once drained. Replacements roll: at most {@code rollingBatch} workers are being replaced at a time (those
 * already retiring for replacement count), the other outdated workers stay nodes until a later round. Controllers
 * keep their type (changing it would need etcd membership changes, which the
 * bootstrap side does not do). Live instances in slots at or beyond the count are retired (scale-in), highest slot
 * first. Instances already retiring are left alone until their {@code NodesDrained} arrives.
 */
public final class InfrastructurePlanner {

    private InfrastructurePlanner() {
    }

    /** Plans with no limit on replacements in flight. */
    public static InstancePlan plan(NodePools desired, List<ObservedInstance> instances, int zoneCount) {
        return plan(desired, instances, zoneCount, Integer.MAX_VALUE);
    }

    /**
     * @param rollingBatch how many workers may be under replacement at once (at least 1)
     */
    public static InstancePlan plan(NodePools desired, List<ObservedInstance> instances, int zoneCount,
                                    int rollingBatch) {
        // Replaced workers still running (not drained yet) hold their batch slot; shutting down, they free it.
        int replacing = (int) instances.stream().filter(i -> i.role() == NodeRole.WORKER && i.isLive()
                && "REPLACEMENT".equals(i.retiring())).count();
        int replacementBudget = Math.max(0, Math.max(1, rollingBatch) - replacing);
        List<ObservedInstance> keep = new ArrayList<>();
        List<InstancePlan.Launch> launches = new ArrayList<>();
        List<ObservedInstance> scaleIn = new ArrayList<>();
        List<ObservedInstance> replace = new ArrayList<>();
        for (NodeRole role : NodeRole.values()) {
            List<ObservedInstance> live = instances.stream()
                    .filter(i -> i.role() == role && i.isLive() && i.retiring() == null)
                    .sorted(Comparator.comparingInt(ObservedInstance::slot)
                            .thenComparing(Comparator.comparingLong(ObservedInstance::generation).reversed())
                            .thenComparing(ObservedInstance::instanceId))
                    .toList();
            String wantedType = desired.type(role);
            for (int slot = 0; slot < desired.count(role); slot++) {
                int s = slot;
                List<ObservedInstance> inSlot = live.stream().filter(i -> i.slot() == s).toList();
                ObservedInstance fitting = inSlot.stream().filter(i -> i.instanceType().equals(wantedType))
                        .findFirst().orElse(null);
                if (fitting == null && !inSlot.isEmpty()) {
                    if (role == NodeRole.CONTROLLER) {
                        fitting = inSlot.get(0);
                    } else if (replacementBudget == 0) {
                        // Not this round: the outdated worker keeps serving until a batch slot frees up.
                        fitting = inSlot.get(0);
                    } else {
                        replacementBudget--;
                    }
                }
                if (fitting == null) {
                    launches.add(new InstancePlan.Launch(role, slot, wantedType, slot % zoneCount));
                }
                for (ObservedInstance instance : inSlot) {
                    if (instance == fitting) {
                        keep.add(instance);
                    } else {
                        replace.add(instance);
                    }
                }
            }
            live.stream().filter(i -> i.slot() >= desired.count(role) || i.slot() < 0)
                    .sorted(Comparator.comparingInt(ObservedInstance::slot).reversed())
                    .forEach(scaleIn::add);
        }
        return new InstancePlan(keep, launches, scaleIn, replace);
    }
}
