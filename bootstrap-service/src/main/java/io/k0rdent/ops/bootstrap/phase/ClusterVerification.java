package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.kube.KubeconfigRewriter;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.kube.NodeState;
import io.k0rdent.ops.bootstrap.kube.PodState;
import io.k0rdent.ops.bootstrap.kube.WorkloadCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.PhaseTiming;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.ReadyNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FETCH_KUBECONFIG, VERIFY and STORE_KUBECONFIG: the cluster checked through its own API, then handed over as its
 * kubeconfig Secret and the {@link ClusterReady} event.
 */
final class ClusterVerification {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final ControllerApi controllerApi;
    private final WorkloadClusterProbe probe;
    private final ManagementCluster management;
    private final BootstrapProperties.Verify verify;
    private final Clock clock;

    ClusterVerification(ControllerApi controllerApi, WorkloadClusterProbe probe, ManagementCluster management,
                        BootstrapProperties.Verify verify, Clock clock) {
        this.controllerApi = controllerApi;
        this.probe = probe;
        this.management = management;
        this.verify = verify;
        this.clock = clock;
    }

    void fetchKubeconfig(BootstrapRun run) {
        run.kubeconfig(controllerApi.fetchAdminKubeconfig(run, BootstrapPhase.FETCH_KUBECONFIG));
    }

    /**
     * Uncordons workers an earlier, interrupted run cordoned for their upgrade and then upgraded: the upgrade is done
     * (every node runs the definition's version by now), only its last step was lost. The mark is on the Node, so this
     * works after a restart too, when no checkpoint remembers the cordon.
     */
    private void finishUpgradeCordons(BootstrapRun run, WorkloadCluster api, List<String> expected) {
        try {
            for (NodeState node : api.nodes()) {
                if (expected.contains(node.name()) && node.unschedulable()
                        && K0sUpgrade.CORDONED_FOR_UPGRADE.equals(node.cordonedFor())) {
                    LOG.info("cluster {}: uncordoning {}, cordoned for an upgrade that is done", run.cluster(),
                            node.name());
                    api.uncordon(node.name());
                }
            }
        } catch (RuntimeException e) {
            // The health check below waits for the API and names what is wrong.
            LOG.debug("cluster {}: cannot look for unfinished cordons yet: {}", run.cluster(), e.toString());
        }
    }

    void verifyHealthy(BootstrapRun run) {
        List<ProvisionedNode> nodeHosts = run.workers().isEmpty() ? run.controllers() : run.workers();
        List<String> expected = nodeHosts.stream().map(n -> run.facts(n).hostname()).toList();
        List<HealthCheck.Workload> workloads = HealthCheck.expectedWorkloads(run.definition().spec().addons());
        List<String> problems = new ArrayList<>(List.of("the API did not answer"));
        try (WorkloadCluster api = probe.open(run.kubeconfig())) {
            finishUpgradeCordons(run, api, expected);
            boolean healthy = run.await(verify.readyTimeout(), () -> {
                try {
                    List<NodeState> nodes = api.nodes();
                    List<PodState> pods = api.pods(null);
                    List<String> now = new ArrayList<>(HealthCheck.problems(expected, nodes, workloads, pods));
                    now.addAll(HealthCheck.leftovers(HealthCheck.absentWorkloads(run.definition().spec().addons()),
                            pods));
                    problems.clear();
                    problems.addAll(now);
                    run.readyNodes(nodes);
                    return now.isEmpty();
                } catch (RuntimeException e) {
                    problems.clear();
                    problems.add("the API did not answer: " + e.getClass().getSimpleName());
                    return false;
                }
            });
            if (healthy) {
                // Ready nodes and pods do not show a pod network that drops traffic between nodes, nor DNS
                // (issue 15 item 7): probe pods do, until the same deadline.
                healthy = run.await(verify.readyTimeout(), () -> {
                    List<String> now;
                    try {
                        now = api.networkProblems(expected, verify.probeImage(), verify.readyTimeout(),
                                verify.pollInterval());
                    } catch (RuntimeException e) {
                        now = List.of("the probe pods could not be run: " + e.getMessage());
                    }
                    problems.clear();
                    problems.addAll(now);
                    return now.isEmpty();
                });
            }
            if (!healthy) {
                throw new PhaseFailure(BootstrapPhase.VERIFY, null, null, null, "the cluster is not healthy after "
                        + verify.readyTimeout() + ": " + String.join("; ", problems), true);
            }
            for (String token : run.workerTokens()) {
                controllerApi.invalidate(run, BootstrapPhase.VERIFY, token);
            }
            run.workerTokens().clear();
        }
    }

    void storeKubeconfig(BootstrapRun run) {
        management.storeKubeconfig(run.cluster(), run.kubeconfig());
    }

    ClusterReady ready(BootstrapRun run) {
        Map<String, ProvisionedNode> byHostname = new LinkedHashMap<>();
        for (ProvisionedNode node : run.all()) {
            byHostname.put(run.facts(node).hostname(), node);
        }
        List<ReadyNode> nodes = run.readyNodes().stream()
                .filter(n -> byHostname.containsKey(n.name()))
                .map(n -> new ReadyNode(n.name(), byHostname.get(n.name()).role(),
                        byHostname.get(n.name()).instanceId(), n.kubeletVersion()))
                .toList();
        CheckpointStore.Checkpoint checkpoint = run.checkpoint();
        List<PhaseTiming> phases = PhasePlan.ORDER.stream()
                .filter(checkpoint.timings()::containsKey)
                .map(p -> new PhaseTiming(p, checkpoint.timings().get(p)))
                .toList();
        String endpoint = KubeconfigRewriter.server(run.kubeconfig());
        LOG.info("cluster {}: Ready at {} with {} nodes", run.cluster(), endpoint, nodes.size());
        return new ClusterReady(run.event().header().causing("bootstrap/ready", clock.instant()), endpoint,
                management.reference(run.cluster()), run.version(), nodes, phases);
    }
}
