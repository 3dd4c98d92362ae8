package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INIT_CONTROLLER, JOIN_CONTROLLERS and JOIN_WORKERS: k0s started on every node not running it, as one cluster. */
final class ClusterJoining {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final NodeCommands nodes;
    private final K0sInstaller installer;
    private final ControllerApi controllerApi;

    ClusterJoining(NodeCommands nodes, K0sInstaller installer, ControllerApi controllerApi) {
        this.nodes = nodes;
        this.installer = installer;
        this.controllerApi = controllerApi;
    }

    void initController(BootstrapRun run) {
        ProvisionedNode first = run.controllers().get(0);
        if (!run.facts(first).running()) {
            LOG.info("cluster {}: initializing the first controller {}", run.cluster(), first.ssh().host());
            run.must(BootstrapPhase.INIT_CONTROLLER, first, installer.installController(false, run.workers().isEmpty()));
            run.must(BootstrapPhase.INIT_CONTROLLER, first, installer.start());
        }
        controllerApi.awaitApi(run, BootstrapPhase.INIT_CONTROLLER, first);
    }

    void joinControllers(BootstrapRun run) {
        BootstrapPhase phase = BootstrapPhase.JOIN_CONTROLLERS;
        List<ProvisionedNode> controllers = run.controllers();
        for (ProvisionedNode controller : controllers.subList(1, controllers.size())) {
            if (run.facts(controller).running()) {
                continue;
            }
            LOG.info("cluster {}: joining controller {}", run.cluster(), controller.ssh().host());
            // One token per controller: a controller token may be single-use depending on k0s version.
            String token = createToken(run, phase, "controller", 1);
            run.must(phase, controller, installer.writeToken(token));
            run.must(phase, controller, installer.installController(true, run.workers().isEmpty()));
            run.must(phase, controller, installer.start());
            run.must(phase, controller, installer.removeToken());
            controllerApi.awaitApi(run, phase, controller);
            controllerApi.invalidate(run, phase, token);
        }
    }

    void joinWorkers(BootstrapRun run) {
        BootstrapPhase phase = BootstrapPhase.JOIN_WORKERS;
        List<ProvisionedNode> joining = run.workers().stream().filter(w -> !run.facts(w).running()).toList();
        if (joining.isEmpty()) {
            return;
        }
        String token = createToken(run, phase, "worker", joining.size());
        // Workers join in parallel, as with k0sctl; controllers join one by one for etcd's sake.
        nodes.forEachNode(phase, joining, worker -> {
            LOG.info("cluster {}: joining worker {}", run.cluster(), worker.ssh().host());
            run.must(phase, worker, installer.writeToken(token));
            run.must(phase, worker, installer.installWorker());
            run.must(phase, worker, installer.start());
            run.must(phase, worker, installer.removeToken());
        });
        // Invalidated once the workers are Ready (VERIFY), as k0sctl waits for each node before it does: a
        // kubelet still bootstrapping needs the token. Its expiry covers a crash before then.
        run.workerTokens().add(token);
    }

    private String createToken(BootstrapRun run, BootstrapPhase phase, String role, int count) {
        ProvisionedNode first = run.controllers().get(0);
        String token = run.must(phase, first, installer.createToken(role, count)).stdout().strip();
        if (token.isEmpty()) {
            throw new PhaseFailure(phase, first.ssh().host(), installer.createToken(role, count).toString(),
                    null, "k0s printed an empty " + role + " token", true);
        }
        run.addSecret(token);
        return token;
    }
}
