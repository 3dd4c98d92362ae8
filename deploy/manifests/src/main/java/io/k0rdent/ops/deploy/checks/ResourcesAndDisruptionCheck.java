package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every container declares what it needs (requests, so the scheduler places it; a memory limit, which
 * MaxRAMPercentage sizes the heap from), and every Deployment has a PodDisruptionBudget selecting its pods.
 */
final class ResourcesAndDisruptionCheck implements ManifestCheck {

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : rendering.all(Deployment.class)) {
            for (Container container : Workloads.containers(deployment)) {
                ResourceRequirements resources = container.getResources();
                String owner = Workloads.describe(deployment, container);
                if (resources == null || missing(resources.getRequests(), "cpu") || missing(resources.getRequests(), "memory")) {
                    problems.add(owner + ": no resources.requests for cpu and memory");
                }
                if (resources == null || missing(resources.getLimits(), "memory")) {
                    problems.add(owner + ": no resources.limits.memory");
                }
            }
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            boolean budgeted = rendering.all(PodDisruptionBudget.class).stream()
                    .filter(pdb -> deployment.getMetadata().getNamespace().equals(pdb.getMetadata().getNamespace()))
                    .anyMatch(pdb -> selects(pdb.getSpec().getSelector(), podLabels));
            if (!budgeted) {
                problems.add(Workloads.describe(deployment) + ": no PodDisruptionBudget selects its pods");
            }
        }
        return problems;
    }

    private static boolean missing(Map<String, Quantity> quantities, String name) {
        return quantities == null || quantities.get(name) == null;
    }

    /** matchLabels only: our budgets use nothing else, and an empty selector would select every pod. */
    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty() || labels == null) {
            return false;
        }
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
