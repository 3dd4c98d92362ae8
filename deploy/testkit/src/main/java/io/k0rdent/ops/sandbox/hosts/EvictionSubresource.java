package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pods/eviction} subresource (policy/v1 {@code Eviction}) of a simulated cluster, as the API server
 * answers it: the pod is deleted (201) unless a PodDisruptionBudget selecting it allows no disruption now, which is
 * {@code 429 TooManyRequests} "Cannot evict pod as it would violate the pod's disruption budget." with the cause "The
 * disruption budget NAME needs N healthy pods and has M currently"; a pod selected by two budgets is a 500. Healthy
 * means Ready; the budget's {@code minAvailable} or {@code maxUnavailable} (a number or a percentage of the selected
 * pods) gives the pods it needs. Sources: Kubernetes docs "API-initiated Eviction", "Specifying a Disruption Budget";
 * kubernetes {@code pkg/registry/core/pod/storage/eviction.go} (messages). Not modelled: grace periods (the pod goes
 * at once), {@code unhealthyPodEvictionPolicy} (an unready pod is evicted only while the budget is met, its default).
 */
final class EvictionSubresource {

    static final Pattern PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction$");

    private final CrudStore store;
    private final ReplicaSetStandIn replicaSets;

    EvictionSubresource(CrudStore store, ReplicaSetStandIn replicaSets) {
        this.store = store;
        this.replicaSets = replicaSets;
    }

    MockResponse evict(Matcher path) {
        String namespace = path.group(1);
        String name = path.group(2);
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        Pod pod = store.get(podPath, Pod.class).orElse(null);
        if (pod == null) {
            return status(404, "NotFound", "pods \"" + name + "\" not found", null);
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        List<PodDisruptionBudget> budgets = store.<PodDisruptionBudget, PodDisruptionBudgetList>list(
                        "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets",
                        PodDisruptionBudgetList.class).stream()
                .filter(b -> b.getSpec() != null && matches(b.getSpec().getSelector(), labels)).toList();
        if (budgets.size() > 1) {
            return status(500, "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                    null);
        }
        if (budgets.size() == 1) {
            PodDisruptionBudget budget = budgets.get(0);
            List<Pod> selected = store.<Pod, PodList>list("/api/v1/namespaces/" + namespace + "/pods", PodList.class)
                    .stream().filter(p -> matches(budget.getSpec().getSelector(),
                            p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels())).toList();
            int healthy = (int) selected.stream().filter(SimulatedPods::ready).count();
            int desired = desiredHealthy(budget, selected.size());
            boolean allowed = SimulatedPods.ready(pod) ? healthy - 1 >= desired : healthy >= desired;
            if (!allowed) {
                return status(429, "TooManyRequests",
                        "Cannot evict pod as it would violate the pod's disruption budget.",
                        "The disruption budget " + budget.getMetadata().getName() + " needs " + desired
                                + " healthy pods and has " + healthy + " currently");
            }
        }
        store.delete(podPath);
        replicaSets.replace(pod);
        return status(201, null, null, null);
    }

    private static int desiredHealthy(PodDisruptionBudget budget, int expected) {
        IntOrString min = budget.getSpec().getMinAvailable();
        if (min != null) {
            return amount(min, expected);
        }
        IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
        return maxUnavailable == null ? 0 : Math.max(0, expected - amount(maxUnavailable, expected));
    }

    /** A number, or a percentage of {@code expected} (rounded up, as the disruption controller does). */
    private static int amount(IntOrString value, int expected) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal().trim();
        if (text.endsWith("%")) {
            double share = Integer.parseInt(text.substring(0, text.length() - 1)) * expected / 100.0;
            return (int) Math.ceil(share);
        }
        return Integer.parseInt(text);
    }

    /** Label selector semantics (an empty policy/v1 selector selects every pod of the namespace). */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private MockResponse status(int code, String reason, String message, String cause) {
        StatusBuilder status = new StatusBuilder().withApiVersion("v1").withKind("Status")
                .withStatus(code < 300 ? "Success" : "Failure").withCode(code).withReason(reason).withMessage(message);
        if (cause != null) {
            status.withNewDetails().addNewCause().withReason("DisruptionBudget").withMessage(cause).endCause()
                    .endDetails();
        }
        Status built = status.build();
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(store.write(built));
    }
}
