package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.kube.WorkloadCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPGRADE: nodes running an older k0s get the definition's version, controllers one at a time and then workers in
 * drained batches ({@link UpgradePlanner}), finishing what an interrupted earlier attempt left behind.
 */
final class K0sUpgrade {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final NodeCommands nodes;
    private final K0sInstaller installer;
    private final K0sInstallation installation;
    private final ControllerApi controllerApi;
    private final WorkloadClusterProbe probe;
    private final BootstrapProperties.K0s k0s;
    private final BootstrapProperties.Verify verify;
    private final NodeDrains drains;
    /** The {@link io.k0rdent.ops.bootstrap.kube.WorkloadCluster#CORDONED_FOR} value of a worker cordoned for its upgrade. */
    static final String CORDONED_FOR_UPGRADE = "upgrade";

    K0sUpgrade(NodeCommands nodes, K0sInstaller installer, K0sInstallation installation, ControllerApi controllerApi,
               WorkloadClusterProbe probe, BootstrapProperties.K0s k0s, BootstrapProperties.Verify verify,
               NodeDrains drains) {
        this.nodes = nodes;
        this.installer = installer;
        this.installation = installation;
        this.controllerApi = controllerApi;
        this.probe = probe;
        this.k0s = k0s;
        this.verify = verify;
        this.drains = drains;
    }

    void upgrade(BootstrapRun run) {
        List<ProvisionedNode> staleControllers = run.controllers().stream()
                .filter(c -> stale(run, c) || interruptedUpgrade(run, c)).toList();
        List<ProvisionedNode> staleWorkers = run.workers().stream().filter(w -> stale(run, w) || unfinished(run, w)).toList();
        if (staleControllers.isEmpty() && staleWorkers.isEmpty()) {
            return;
        }
        Map<String, ProvisionedNode> byId = run.all().stream().collect(Collectors.toMap(ProvisionedNode::instanceId, n -> n));
        List<UpgradePlanner.Step> steps = UpgradePlanner.plan(
                staleControllers.stream().map(ProvisionedNode::instanceId).toList(),
                staleWorkers.stream().map(ProvisionedNode::instanceId).toList(),
                k0s.workerBatchPercent(), run.workers().size());
        String upgradeKubeconfig = null;
        for (UpgradePlanner.Step step : steps) {
            List<ProvisionedNode> batch = step.nodes().stream().map(byId::get).toList();
            if (!step.controllers() && upgradeKubeconfig == null) {
                // Only now: the controllers are upgraded and running, so the first one can print it.
                upgradeKubeconfig = controllerApi.fetchAdminKubeconfig(run, BootstrapPhase.UPGRADE);
            }
            if (step.controllers()) {
                ProvisionedNode controller = batch.get(0);
                LOG.info("cluster {}: upgrading controller {} to {}", run.cluster(), controller.ssh().host(), run.version());
                replaceBinary(run, BootstrapPhase.UPGRADE, controller);
                controllerApi.awaitApi(run, BootstrapPhase.UPGRADE, controller);
            } else {
                upgradeWorkers(run, batch, upgradeKubeconfig);
            }
        }
    }

    private boolean stale(BootstrapRun run, ProvisionedNode node) {
        NodeFacts f = run.facts(node);
        return f.running() && f.installedVersion() != null && !f.installedVersion().equals(run.version());
    }

    /** A worker an earlier attempt cordoned for its upgrade and did not finish. */
    private boolean unfinished(BootstrapRun run, ProvisionedNode worker) {
        return run.checkpoint().cordoned().contains(worker.instanceId()) && !stale(run, worker);
    }

    /**
     * A controller an interrupted upgrade left stopped (the process died, or its start failed, between
     * {@code k0s stop} and a successful {@code k0s start}): k0s is installed but does not run, while its binary
     * or another node is still on an older version. Found by the fault suite (deploy/faults): without this, the
     * retry asked the stopped controller for a kubeconfig and failed the same way forever.
     */
    private boolean interruptedUpgrade(BootstrapRun run, ProvisionedNode controller) {
        NodeFacts f = run.facts(controller);
        return !f.running() && f.installedVersion() != null
                && (!f.installedVersion().equals(run.version()) || run.all().stream().anyMatch(n -> stale(run, n)));
    }

    private void upgradeWorkers(BootstrapRun run, List<ProvisionedNode> batch, String adminKubeconfig) {
        BootstrapPhase phase = BootstrapPhase.UPGRADE;
        try (WorkloadCluster api = probe.open(adminKubeconfig)) {
            for (ProvisionedNode worker : batch) {
                String name = run.facts(worker).hostname();
                LOG.info("cluster {}: draining worker {} before its upgrade", run.cluster(), name);
                // Remembered before cordoning, so that a retry after a failure finds and finishes it.
                run.checkpoint().cordoned().add(worker.instanceId());
                drains.cordonAndDrain(phase, api, worker, name, CORDONED_FOR_UPGRADE);
            }
            nodes.forEachNode(phase, batch, worker -> replaceBinary(run, phase, worker));
            for (ProvisionedNode worker : batch) {
                String name = run.facts(worker).hostname();
                boolean ready = run.await(verify.readyTimeout(), () -> api.nodes().stream()
                        .anyMatch(n -> n.name().equals(name) && n.ready()));
                if (!ready) {
                    throw new PhaseFailure(phase, worker.ssh().host(), null, null,
                            "worker " + name + " is not Ready after its upgrade to " + run.version(), true);
                }
                api.uncordon(name);
                run.checkpoint().cordoned().remove(worker.instanceId());
            }
        }
    }

    /**
     * Stops k0s, puts the target version in place and starts it again; steps an interrupted earlier
     * attempt already did (stopped, binary replaced) are not repeated.
     */
    private void replaceBinary(BootstrapRun run, BootstrapPhase phase, ProvisionedNode node) {
        String version = run.version();
        NodeFacts f = run.facts(node);
        if (f.running()) {
            run.must(phase, node, installer.stop());
        }
        if (!version.equals(f.installedVersion())) {
            installation.putBinary(run, phase, node);
        }
        run.must(phase, node, installer.start());
        if (!run.await(verify.apiTimeout(), () -> run.run(phase, node, installer.status()).ok())) {
            throw new PhaseFailure(phase, node.ssh().host(), installer.status().toString(), null,
                    "k0s did not come back after the upgrade", true);
        }
        run.facts(node, new NodeFacts(f.hostname(), f.machine(), f.arch(), f.os(), version, true));
    }
}
