package io.k0rdent.ops.bootstrap.kube;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Empties a cordoned node as {@code kubectl drain} does: every pod but DaemonSet and static (mirror) pods is evicted
 * through the Eviction API (policy/v1), which honours PodDisruptionBudgets; a refused eviction (429) is tried again
 * until the timeout, then the drain fails naming each pod still there and the API server's reason (the budget, how many
 * healthy pods it needs and has). Sources: Kubernetes docs "Safely Drain a Node", "API-initiated Eviction".
 *
 * <p>The eviction is posted directly (the client's own {@code evict()} answers only true or false), so that the
 * server's message reaches the failure.
 */
final class NodeDrain {

    private static final String MIRROR = "kubernetes.io/config.mirror";

    private final KubernetesClient client;
    private final KubernetesSerialization json;
    private final Clock clock;

    NodeDrain(KubernetesClient client, Clock clock) {
        this.client = client;
        this.json = client.getKubernetesSerialization();
        this.clock = clock;
    }

    void drain(String node, Duration timeout, Duration poll) {
        Instant deadline = clock.instant().plus(timeout);
        Map<String, String> refused = new LinkedHashMap<>();
        while (true) {
            List<Pod> remaining = client.pods().inAnyNamespace().list().getItems().stream()
                    .filter(p -> p.getSpec() != null && Objects.equals(node, p.getSpec().getNodeName()))
                    .filter(p -> !daemonSet(p) && !mirror(p)).toList();
            if (remaining.isEmpty()) {
                return;
            }
            refused.clear();
            for (Pod pod : remaining) {
                evict(pod).ifPresent(reason -> refused.put(id(pod), reason));
            }
            if (clock.instant().isAfter(deadline)) {
                String still = refused.isEmpty()
                        ? remaining.stream().map(NodeDrain::id).collect(Collectors.joining(", ")) + " not gone yet"
                        : refused.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("; "));
                throw new DrainBlocked("draining " + node + " did not finish within " + timeout + ": " + still);
            }
            sleep(poll);
        }
    }

    /** Evicts the pod; the API server's refusal when it refuses (a disruption budget), else empty. */
    private java.util.Optional<String> evict(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Eviction eviction = new EvictionBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata().build();
        HttpClient http = client.getHttpClient();
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + namespace
                + "/pods/" + name + "/eviction";
        HttpResponse<String> response;
        try {
            response = http.sendAsync(http.newHttpRequestBuilder().uri(url)
                    .post("application/json", json.asJson(eviction)).build(), String.class).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evicting " + id(pod), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot evict " + id(pod) + ": " + e.getMessage(), e);
        }
        int code = response.code();
        if (code < 300 || code == 404) {
            return java.util.Optional.empty();
        }
        String reason = reason(response.body(), code);
        if (code == 429) {
            return java.util.Optional.of(reason);
        }
        throw new IllegalStateException("cannot evict " + id(pod) + ": " + reason);
    }

    private String reason(String body, int code) {
        try {
            Status status = json.unmarshal(body, Status.class);
            String causes = status.getDetails() == null || status.getDetails().getCauses() == null ? ""
                    : status.getDetails().getCauses().stream().map(StatusCause::getMessage).filter(Objects::nonNull)
                    .collect(Collectors.joining("; "));
            return status.getMessage() + (causes.isEmpty() ? "" : " (" + causes + ")");
        } catch (RuntimeException e) {
            return "HTTP " + code;
        }
    }

    private static boolean daemonSet(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
    }

    private static boolean mirror(Pod pod) {
        return pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(MIRROR);
    }

    private static String id(Pod pod) {
        return "pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static void sleep(Duration poll) {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining", e);
        }
    }
}
