package io.k0rdent.ops.bootstrap.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that a cluster's pod network and DNS work, with short-lived pods of Kubernetes' own test image
 * ({@code agnhost}, kubernetes {@code test/images/agnhost}): a server ({@code netexec}) on the first node, from every
 * other node a pod that connects to the server's pod address ({@code connect}), and a pod that connects to
 * {@code kubernetes.default:443}, which resolves only through CoreDNS. The pods are bound to their nodes
 * ({@code spec.nodeName}), tolerate every taint, and are deleted afterwards, also when a check fails; leftovers of an
 * interrupted run are deleted first. Nodes Ready and kube-system Ready do not show either: kube-router's peering or its
 * IP-in-IP may be dropped between nodes while every node reports Ready.
 */
final class ClusterProbes {

    static final String NAMESPACE = "kube-system";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "k0rdent-probe");
    private static final int SERVER_PORT = 8080;
    /** More clients add little: one unreachable pair is already a broken network. */
    private static final int MAX_CLIENTS = 8;

    private final KubernetesClient client;
    private final Clock clock;

    ClusterProbes(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** What does not work, empty when all probes passed; {@code nodes} in a stable order, at least one. */
    List<String> problems(List<String> nodes, String image, Duration timeout, Duration poll) {
        Instant deadline = clock.instant().plus(timeout);
        deleteProbes();
        try {
            String serverNode = nodes.get(0);
            Pod server = create(pod("k0rdent-probe-server", serverNode, image,
                    List.of("netexec", "--http-port=" + SERVER_PORT), "Always"));
            Optional<Pod> serving = await(server, deadline, poll,
                    p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                            && p.getStatus().getPodIP() != null);
            if (serving.isEmpty()) {
                return List.of("the probe pod on " + serverNode + " did not start within " + timeout + ": "
                        + waiting(current(server)));
            }
            String target = serving.get().getStatus().getPodIP() + ":" + SERVER_PORT;
            List<String> clientNodes = nodes.size() == 1 ? nodes : nodes.subList(1, Math.min(nodes.size(),
                    MAX_CLIENTS + 1));
            List<Pod> connects = new ArrayList<>();
            for (int i = 0; i < clientNodes.size(); i++) {
                connects.add(create(pod("k0rdent-probe-connect-" + i, clientNodes.get(i), image,
                        List.of("connect", "--timeout=5s", target), "Never")));
            }
            String dnsNode = clientNodes.get(clientNodes.size() - 1);
            Pod dns = create(pod("k0rdent-probe-dns", dnsNode, image,
                    List.of("connect", "--timeout=5s", "kubernetes.default:443"), "Never"));
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < connects.size(); i++) {
                outcome(connects.get(i), deadline, poll).ifPresent(problems::add);
            }
            problems.replaceAll(p -> "pod network: " + p);
            outcome(dns, deadline, poll).map(p -> "DNS: " + p).ifPresent(problems::add);
            return problems;
        } finally {
            deleteProbes();
        }
    }

    private Optional<String> outcome(Pod pod, Instant deadline, Duration poll) {
        String node = pod.getSpec().getNodeName();
        Optional<Pod> done = await(pod, deadline, poll, p -> p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())));
        if (done.isEmpty()) {
            return Optional.of("the probe " + pod.getMetadata().getName() + " on " + node + " did not finish: "
                    + waiting(current(pod)));
        }
        if ("Succeeded".equals(done.get().getStatus().getPhase())) {
            return Optional.empty();
        }
        return Optional.of("a pod on " + node + " failed '" + String.join(" ", pod.getSpec().getContainers().get(0)
                .getArgs()) + "': " + terminated(done.get()));
    }

    private Pod pod(String name, String node, String image, List<String> args, String restart) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(LABELS).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy(restart)
                .withAutomountServiceAccountToken(false).withTerminationGracePeriodSeconds(0L)
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("probe").withImage(image).withArgs(args)
                .withTerminationMessagePolicy("FallbackToLogsOnError").endContainer()
                .endSpec().build();
    }

    private Pod create(Pod pod) {
        return client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    private Pod current(Pod pod) {
        return client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).get();
    }

    private Optional<Pod> await(Pod pod, Instant deadline, Duration poll, java.util.function.Predicate<Pod> done) {
        while (true) {
            Pod now = current(pod);
            if (now != null && done.test(now)) {
                return Optional.of(now);
            }
            if (clock.instant().isAfter(deadline)) {
                return Optional.empty();
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private void deleteProbes() {
        try {
            client.pods().inNamespace(NAMESPACE).withLabels(LABELS).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            // Left for the next run, which deletes leftovers first.
        }
    }

    private static String waiting(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return "no status";
        }
        for (ContainerStatus status : list(pod.getStatus().getContainerStatuses())) {
            if (status.getState() != null && status.getState().getWaiting() != null) {
                return status.getState().getWaiting().getReason() + ": " + status.getState().getWaiting().getMessage();
            }
        }
        return "phase " + pod.getStatus().getPhase();
    }

    private static String terminated(Pod pod) {
        for (ContainerStatus status : list(pod.getStatus().getContainerStatuses())) {
            if (status.getState() != null && status.getState().getTerminated() != null) {
                String message = status.getState().getTerminated().getMessage();
                return message == null || message.isBlank()
                        ? "exit code " + status.getState().getTerminated().getExitCode() : message.strip();
            }
        }
        return "phase Failed";
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }
}
