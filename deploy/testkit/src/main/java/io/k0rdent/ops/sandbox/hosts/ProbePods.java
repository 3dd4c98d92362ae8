package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The kubelet of a simulated cluster for the one image whose behaviour the twin knows, Kubernetes' own test image
 * {@code agnhost} (kubernetes {@code test/images/agnhost/README.md}): {@code netexec --http-port=N} serves HTTP on N and
 * runs until deleted; {@code connect [--timeout=D] HOST:PORT} opens one TCP connection and exits 0, or 1 printing
 * {@code TIMEOUT}, {@code DNS} or {@code REFUSED}. The outcome is decided the way the cluster's network would: the pod
 * starts only if its node can pull the image (a way to the internet); a pod address is reached only if k0s's pod
 * network carries traffic between the two nodes ({@link HostNetwork#podTrafficBlocked}); a service name resolves only
 * through a Ready CoreDNS pod the client's node can reach ({@code kubernetes.default} and its longer forms, the API's
 * service, on 443). Other pods are stored as they come (nothing runs them). The result stands in the pod's status
 * (phase {@code Succeeded}/{@code Failed}, the container's termination message) at once: a real kubelet takes seconds.
 */
final class ProbePods {

    private static final Set<String> API_SERVICE_NAMES = Set.of("kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local");

    private final CrudStore store;
    private final Supplier<HostNetwork> network;
    private final BooleanSupplier encapsulateAll;
    private final AtomicInteger addresses = new AtomicInteger();

    ProbePods(CrudStore store, Supplier<HostNetwork> network, BooleanSupplier encapsulateAll) {
        this.store = store;
        this.network = network;
        this.encapsulateAll = encapsulateAll;
    }

    /** The pod as its kubelet would leave it, or empty when the twin does not run it. */
    Optional<Pod> run(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null
                ? List.of() : pod.getSpec().getContainers();
        if (node == null || containers.size() != 1 || !isAgnhost(containers.get(0).getImage())) {
            return Optional.empty();
        }
        Optional<Node> registered = store.get("/api/v1/nodes/" + node, Node.class);
        if (registered.isEmpty() || !SimulatedPods.ready(registered.get())) {
            pod.setStatus(new PodStatusBuilder().withPhase("Pending").build());
            return Optional.of(pod);
        }
        Optional<String> noPull = network.get().internetBlocked(node);
        if (noPull.isPresent()) {
            pod.setStatus(new PodStatusBuilder().withPhase("Pending").addNewContainerStatus()
                    .withName(containers.get(0).getName()).withImage(containers.get(0).getImage()).withReady(false)
                    .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"" + containers.get(0).getImage() + "\": i/o timeout")
                    .endWaiting().endState().endContainerStatus().build());
            return Optional.of(pod);
        }
        List<String> args = arguments(containers.get(0));
        // One read of the counter: two reads could hand two pods created at once the same address.
        int serial = addresses.getAndIncrement();
        String ip = "10.244." + (serial / 250) + "." + (serial % 250 + 2);
        if (!args.isEmpty() && args.get(0).equals("netexec")) {
            PodStatus running = SimulatedPods.status(true);
            running.setPodIP(ip);
            running.setHostIP(node);
            pod.setStatus(running);
            return Optional.of(pod);
        }
        if (!args.isEmpty() && args.get(0).equals("connect")) {
            String failure = connect(node, args.get(args.size() - 1)).orElse(null);
            pod.setStatus(new PodStatusBuilder().withPhase(failure == null ? "Succeeded" : "Failed").withPodIP(ip)
                    .addNewContainerStatus().withName(containers.get(0).getName())
                    .withImage(containers.get(0).getImage()).withReady(false).withNewState().withNewTerminated()
                    .withExitCode(failure == null ? 0 : 1).withReason(failure == null ? "Completed" : "Error")
                    .withMessage(failure).endTerminated().endState().endContainerStatus().build());
            return Optional.of(pod);
        }
        return Optional.empty();
    }

    /** What {@code agnhost connect} prints on failure, or empty when the connection opened. */
    private Optional<String> connect(String node, String target) {
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            return Optional.of("UNKNOWN: address " + target + ": missing port in address");
        }
        String host = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        if (host.matches("[0-9.]+")) {
            return connectToPod(node, host, port);
        }
        if (!API_SERVICE_NAMES.contains(host)) {
            return Optional.of("DNS: lookup " + host + " on 10.96.0.10:53: no such host");
        }
        List<Pod> dns = store.<Pod, PodList>list("/api/v1/namespaces/kube-system/pods", PodList.class).stream()
                .filter(p -> p.getMetadata().getName().startsWith("coredns-")).filter(SimulatedPods::ready)
                .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null).toList();
        List<String> reasons = new ArrayList<>();
        for (Pod server : dns) {
            Optional<String> blocked = network.get().podTrafficBlocked(node, server.getSpec().getNodeName(),
                    encapsulateAll.getAsBoolean());
            if (blocked.isEmpty()) {
                return port == 443 ? Optional.empty()
                        : Optional.of("TIMEOUT: dial tcp 10.96.0.1:" + port + ": i/o timeout");
            }
            reasons.add(blocked.get());
        }
        return Optional.of("DNS: lookup " + host + " on 10.96.0.10:53: read udp: i/o timeout"
                + (reasons.isEmpty() ? " (no CoreDNS pod is running)" : " (" + String.join("; ", reasons) + ")"));
    }

    private Optional<String> connectToPod(String node, String address, int port) {
        Optional<Pod> server = store.<Pod, PodList>list("/api/v1/pods", PodList.class).stream()
                .filter(p -> p.getStatus() != null && address.equals(p.getStatus().getPodIP()))
                .filter(p -> "Running".equals(p.getStatus().getPhase())).findFirst();
        if (server.isEmpty()) {
            return Optional.of("TIMEOUT: dial tcp " + address + ":" + port + ": i/o timeout");
        }
        Optional<String> blocked = network.get().podTrafficBlocked(node, server.get().getSpec().getNodeName(),
                encapsulateAll.getAsBoolean());
        if (blocked.isPresent()) {
            return Optional.of("TIMEOUT: dial tcp " + address + ":" + port + ": i/o timeout (" + blocked.get() + ")");
        }
        List<String> serverArgs = arguments(server.get().getSpec().getContainers().get(0));
        int listening = serverArgs.stream().filter(a -> a.startsWith("--http-port=")).findFirst()
                .map(a -> Integer.parseInt(a.substring("--http-port=".length()))).orElse(80);
        if (serverArgs.isEmpty() || !serverArgs.get(0).equals("netexec") || listening != port) {
            return Optional.of("REFUSED: dial tcp " + address + ":" + port + ": connect: connection refused");
        }
        return Optional.empty();
    }

    private static boolean isAgnhost(String image) {
        if (image == null) {
            return false;
        }
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int tag = repository.lastIndexOf(':');
        if (tag > repository.lastIndexOf('/')) {
            repository = repository.substring(0, tag);
        }
        return repository.equals("agnhost") || repository.endsWith("/agnhost");
    }

    /** The agnhost subcommand and its flags, whether given as command or args, with or without the binary path. */
    private static List<String> arguments(Container container) {
        List<String> all = new ArrayList<>();
        if (container.getCommand() != null) {
            all.addAll(container.getCommand());
        }
        if (container.getArgs() != null) {
            all.addAll(container.getArgs());
        }
        while (!all.isEmpty() && (all.get(0).endsWith("agnhost"))) {
            all.remove(0);
        }
        return all;
    }
}
