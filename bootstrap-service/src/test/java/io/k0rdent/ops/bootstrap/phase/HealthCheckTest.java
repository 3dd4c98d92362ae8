package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.kube.NodeState;
import io.k0rdent.ops.bootstrap.kube.PodState;
import io.k0rdent.ops.contracts.definition.Addon;
import io.k0rdent.ops.contracts.definition.Addons;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    private static final List<PodState> SYSTEM = List.of(
            new PodState("kube-system", "coredns-abc", null, true, false),
            new PodState("kube-system", "konnectivity-agent-w1", "w1", true, true),
            new PodState("kube-system", "kube-proxy-w1", "w1", true, true));

    @Test
    void healthyWhenEveryNodeIsReadyAndSystemPodsRun() {
        assertThat(HealthCheck.problems(List.of("w1"), List.of(new NodeState("w1", true, "v1.28.3+k0s", false)),
                HealthCheck.expectedWorkloads(Addons.NONE), SYSTEM)).isEmpty();
    }

    @Test
    void anApiThatAnswersIsNotEnough() {
        List<String> problems = HealthCheck.problems(List.of("w1", "w2"),
                List.of(new NodeState("w1", false, "v1.28.3+k0s", false)),
                HealthCheck.expectedWorkloads(new Addons(new Addon(true), new Addon(true))), SYSTEM);

        assertThat(problems).containsExactlyInAnyOrder(
                "node w1 is not Ready",
                "node w2 is not registered",
                "kube-system/metrics-server has no pods",
                "ingress-nginx/ingress-nginx-controller has no pods");
    }

    @Test
    void aReadyNodeThatIsCordonedTakesNoWorkAndIsNotHealthy() {
        assertThat(HealthCheck.problems(List.of("w1", "w2"), List.of(
                        new NodeState("w1", true, "v1.28.3+k0s", true, "upgrade"),
                        new NodeState("w2", true, "v1.28.3+k0s", true)),
                HealthCheck.expectedWorkloads(Addons.NONE), SYSTEM)).containsExactly(
                "node w1 is cordoned (spec.unschedulable) for upgrade",
                "node w2 is cordoned (spec.unschedulable), not by this service");
    }

    @Test
    void podsThatAreNotReadyCount() {
        List<PodState> pods = List.of(new PodState("kube-system", "coredns-abc", null, false, false), SYSTEM.get(1), SYSTEM.get(2));
        assertThat(HealthCheck.problems(List.of(), List.of(), HealthCheck.expectedWorkloads(Addons.NONE), pods))
                .containsExactly("kube-system/coredns has pods that are not Ready");
    }
}
