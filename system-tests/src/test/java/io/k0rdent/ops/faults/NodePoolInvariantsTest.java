package io.k0rdent.ops.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NodePoolInvariantsTest {

    private static final Instant START = Instant.parse("2026-12-06T05:00:00Z");
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> numbers = new HashMap<>();

    /** The workload moved flt-000 to three workers of the changed type: a rolling replacement. */
    private static final ClusterPlan REPLACED = ClusterPlan.initial("flt-000", "10.0.0.0/16", "v1.33.1+k0s.0")
            .withWorkers(3, Workload.CHANGED_WORKER_TYPE);

    @Test
    void theTemplatePoolAndTheReplacementEachLaunchedOnceBreakNothing() {
        List<AuditEntry> calls = new ArrayList<>();
        calls.add(launch("flt-000", "controller", 0, "t3.medium", "i-c0"));
        calls.add(launch("flt-000", "worker", 0, "t3.large", "i-w0"));
        calls.add(launch("flt-000", "worker", 1, "t3.large", "i-w1"));
        for (int slot = 0; slot < 3; slot++) {
            calls.add(launch("flt-000", "worker", slot, Workload.CHANGED_WORKER_TYPE, "i-x" + slot));
        }

        assertThat(NodePoolInvariants.launchViolations(calls, List.of(REPLACED), null, numbers)).isEmpty();
        assertThat(numbers).containsEntry("node slots launched", 6L)
                .containsEntry("node slots of superseded generations never launched", 0L);
    }

    /** Run 27 in CI: a first generation failed before its workers, the scale push superseded it. */
    @Test
    void aGenerationSupersededBeforeItsWorkersLaunchedIsCountedNotReported() {
        List<AuditEntry> calls = new ArrayList<>();
        calls.add(launch("flt-000", "controller", 0, "t3.medium", "i-c0"));
        for (int slot = 0; slot < 3; slot++) {
            calls.add(launch("flt-000", "worker", slot, Workload.CHANGED_WORKER_TYPE, "i-x" + slot));
        }

        assertThat(NodePoolInvariants.launchViolations(calls, List.of(REPLACED), null, numbers)).isEmpty();
        assertThat(numbers).containsEntry("node slots of superseded generations never launched", 2L);
    }

    @Test
    void aSlotGivenASecondInstanceIsReported() {
        List<AuditEntry> calls = List.of(launch("flt-000", "controller", 0, "t3.medium", "i-c0"),
                launch("flt-000", "worker", 2, Workload.CHANGED_WORKER_TYPE, "i-x2"),
                launch("flt-000", "worker", 2, Workload.CHANGED_WORKER_TYPE, "i-y2"));

        assertThat(NodePoolInvariants.launchViolations(calls, List.of(REPLACED), null, numbers))
                .containsExactly("launched twice: node slot flt-000/worker/2/t3.xlarge got instances [i-x2, i-y2]");
    }

    @Test
    void aSlotTheWorkloadNeverAskedForIsReported() {
        List<AuditEntry> calls = List.of(launch("flt-000", "worker", 3, Workload.CHANGED_WORKER_TYPE, "i-x3"),
                launch("flt-000", "worker", 2, "t3.large", "i-w2"),
                launch("flt-001", "controller", 0, "t3.medium", "i-c9"));

        assertThat(NodePoolInvariants.launchViolations(calls, List.of(REPLACED), null, numbers)).containsExactly(
                "launched a node slot the workload never asked for: flt-000/worker/3/t3.xlarge got [i-x3]",
                "launched a node slot the workload never asked for: flt-000/worker/2/t3.large got [i-w2]",
                "launched a node slot the workload never asked for: flt-001/controller/0/t3.medium got [i-c9]");
    }

    @Test
    void aClusterTheRollbackBroughtBackLaunchesItsFinalPoolOnceMore() {
        ClusterPlan back = ClusterPlan.initial("flt-001", "10.1.0.0/16", "v1.33.1+k0s.0").withWorkers(1, "t3.large")
                .asDeleted().asRecreated();
        Instant rollback = START.plusSeconds(600);
        List<AuditEntry> calls = new ArrayList<>();
        calls.add(launch("flt-001", "controller", 0, "t3.medium", "i-c0"));
        calls.add(launch("flt-001", "worker", 0, "t3.large", "i-w0"));
        calls.add(launch("flt-001", "worker", 1, "t3.large", "i-w1"));
        calls.add(launchAt(rollback.plusSeconds(5), "flt-001", "controller", 0, "t3.medium", "i-c1"));
        calls.add(launchAt(rollback.plusSeconds(5), "flt-001", "worker", 0, "t3.large", "i-v0"));

        assertThat(NodePoolInvariants.launchViolations(calls, List.of(back), rollback, numbers)).isEmpty();

        calls.add(launchAt(rollback.plusSeconds(6), "flt-001", "worker", 1, "t3.large", "i-v1"));
        assertThat(NodePoolInvariants.launchViolations(calls, List.of(back), rollback, numbers)).containsExactly(
                "launched a node slot the workload never asked for: flt-001/worker/1/t3.large (re-created) got [i-v1]");
    }

    private AuditEntry launch(String cluster, String role, int slot, String type, String id) {
        return launchAt(START.plusSeconds(sequence.get()), cluster, role, slot, type, id);
    }

    private AuditEntry launchAt(Instant at, String cluster, String role, int slot, String type, String id) {
        Map<String, String> params = Map.of("InstanceType", type,
                "TagSpecification.1.ResourceType", "instance",
                "TagSpecification.1.Tag.1.Key", "k0rdent.io/cluster", "TagSpecification.1.Tag.1.Value", cluster,
                "TagSpecification.1.Tag.2.Key", "k0rdent.io/role", "TagSpecification.1.Tag.2.Value", role,
                "TagSpecification.1.Tag.3.Key", "k0rdent.io/slot", "TagSpecification.1.Tag.3.Value",
                Integer.toString(slot));
        return new AuditEntry(sequence.incrementAndGet(), at, "RunInstances", params, 200, null, List.of(id));
    }
}
