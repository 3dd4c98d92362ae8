package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfrastructurePlannerTest {

    private static ObservedInstance node(NodeRole role, int slot, String type, String state, String retiring) {
        String id = "i-" + role.name().charAt(0) + slot + "-" + type + "-" + state;
        return new ObservedInstance(id, role, slot, 1, type, "us-east-1a", "subnet-1", "10.0.0." + slot, null, state,
                retiring, Map.of());
    }

    private static List<ObservedInstance> cluster(int workers) {
        List<ObservedInstance> nodes = new ArrayList<>();
        nodes.add(node(NodeRole.CONTROLLER, 0, "t3.medium", "running", null));
        for (int i = 0; i < workers; i++) {
            nodes.add(node(NodeRole.WORKER, i, "t3.large", "running", null));
        }
        return nodes;
    }

    @Test
    void anEmptyClusterLaunchesEverySlotSpreadOverZones() {
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "t3.medium", 3, "t3.large"), List.of(), 3);
        assertThat(plan.launches()).extracting(InstancePlan.Launch::label)
                .containsExactly("controller/0", "worker/0", "worker/1", "worker/2");
        assertThat(plan.launches()).extracting(InstancePlan.Launch::zoneIndex).containsExactly(0, 0, 1, 2);
        assertThat(plan.keep()).isEmpty();
    }

    @Test
    void aCompleteClusterChangesNothing() {
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "t3.medium", 3, "t3.large"), cluster(3), 3);
        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.keep()).hasSize(4);
    }

    @Test
    void scalingUpLaunchesOnlyTheMissingSlots() {
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "t3.medium", 5, "t3.large"), cluster(3), 2);
        assertThat(plan.launches()).extracting(InstancePlan.Launch::label).containsExactly("worker/3", "worker/4");
        assertThat(plan.launches()).extracting(InstancePlan.Launch::zoneIndex).containsExactly(1, 0);
    }

    @Test
    void scalingDownRetiresTheHighestSlotsFirst() {
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "t3.medium", 2, "t3.large"), cluster(5), 3);
        assertThat(plan.scaleIn()).extracting(ObservedInstance::slot).containsExactly(4, 3, 2);
        assertThat(plan.launches()).isEmpty();
        assertThat(plan.keep()).hasSize(3);
    }

    @Test
    void retiringAndTerminatedInstancesDoNotFillASlot() {
        List<ObservedInstance> nodes = cluster(1);
        nodes.add(node(NodeRole.WORKER, 1, "t3.large", "terminated", null));
        nodes.add(node(NodeRole.WORKER, 2, "t3.large", "running", "SCALE_IN"));
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "t3.medium", 3, "t3.large"), nodes, 3);
        assertThat(plan.launches()).extracting(InstancePlan.Launch::label).containsExactly("worker/1", "worker/2");
        assertThat(plan.scaleIn()).isEmpty();
    }

    @Test
    void aWorkerTypeChangeReplacesWorkersButKeepsControllers() {
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "m5.large", 2, "m5.xlarge"), cluster(2), 3);
        assertThat(plan.launches()).extracting(InstancePlan.Launch::label).containsExactly("worker/0", "worker/1");
        assertThat(plan.launches()).allSatisfy(l -> assertThat(l.instanceType()).isEqualTo("m5.xlarge"));
        assertThat(plan.replace()).extracting(ObservedInstance::slot).containsExactly(0, 1);
        assertThat(plan.keep()).singleElement().satisfies(c -> assertThat(c.role()).isEqualTo(NodeRole.CONTROLLER));
    }

    @Test
    void onceTheReplacementRunsTheOldInstanceIsRetiredAndTheNewOneKept() {
        List<ObservedInstance> nodes = cluster(1);
        nodes.add(node(NodeRole.WORKER, 0, "m5.xlarge", "pending", null));
        InstancePlan plan = InfrastructurePlanner.plan(new NodePools(1, "t3.medium", 1, "m5.xlarge"), nodes, 3);
        assertThat(plan.launches()).isEmpty();
        assertThat(plan.replace()).singleElement().satisfies(i -> assertThat(i.instanceType()).isEqualTo("t3.large"));
        assertThat(plan.keep()).extracting(ObservedInstance::instanceType).contains("m5.xlarge");
    }

    @Test
    void replacementsRollInBatches() {
        NodePools bigger = new NodePools(1, "t3.medium", 3, "m5.xlarge");
        InstancePlan first = InfrastructurePlanner.plan(bigger, cluster(3), 3, 1);
        assertThat(first.launches()).extracting(InstancePlan.Launch::label).containsExactly("worker/0");
        assertThat(first.replace()).extracting(ObservedInstance::slot).containsExactly(0);
        assertThat(first.keep()).extracting(ObservedInstance::instanceType)
                .containsExactly("t3.medium", "t3.large", "t3.large");

        // worker/0's replacement runs, the old one waits for NodesDrained: the batch is full.
        List<ObservedInstance> during = new ArrayList<>(cluster(3));
        during.set(1, node(NodeRole.WORKER, 0, "t3.large", "running", "REPLACEMENT"));
        during.add(node(NodeRole.WORKER, 0, "m5.xlarge", "running", null));
        assertThat(InfrastructurePlanner.plan(bigger, during, 3, 1).changesNothing()).isTrue();

        // Drained and shutting down: the next worker is replaced.
        during.set(1, node(NodeRole.WORKER, 0, "t3.large", "shutting-down", "REPLACEMENT"));
        InstancePlan second = InfrastructurePlanner.plan(bigger, during, 3, 1);
        assertThat(second.launches()).extracting(InstancePlan.Launch::label).containsExactly("worker/1");
        assertThat(InfrastructurePlanner.plan(bigger, cluster(3), 3, 2).launches()).hasSize(2);
    }
}
