package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

/** Pod and node states as the simulated kubelets report them. */
final class SimulatedPods {

    private SimulatedPods() {
    }

    /** A pod running and Ready, or waiting for a node ({@code Pending}, unscheduled). */
    static PodStatus status(boolean scheduled) {
        if (!scheduled) {
            return new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                    .withStatus("False").withReason("Unschedulable").endCondition().build();
        }
        return new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build();
    }

    static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
