package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.k0s.ClusterConfigRenderer;
import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CONFIGURE: each controller's k0s configuration rendered from the definition, checked, and put into effect. */
final class ControllerConfiguration {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final NodeCommands nodes;
    private final K0sInstaller installer;
    private final ControllerApi controllerApi;
    private final ClusterConfigRenderer renderer;
    private final BootstrapProperties.K0s k0s;

    ControllerConfiguration(NodeCommands nodes, K0sInstaller installer, ControllerApi controllerApi,
                            ClusterConfigRenderer renderer, BootstrapProperties.K0s k0s) {
        this.nodes = nodes;
        this.installer = installer;
        this.controllerApi = controllerApi;
        this.renderer = renderer;
        this.k0s = k0s;
    }

    void configure(BootstrapRun run) {
        List<ProvisionedNode> controllers = run.controllers();
        List<String> addresses = new ArrayList<>();
        for (ProvisionedNode c : controllers) {
            if (c.privateAddress() != null) {
                addresses.add(c.privateAddress());
            }
            if (c.publicAddress() != null) {
                addresses.add(c.publicAddress());
            }
        }
        // The load balancer's address when the provisioner gave one (S2): it survives replacing any controller.
        String external = run.event().apiAddress() != null ? run.event().apiAddress() : run.externalAddress();
        List<ProvisionedNode> changedRunning = Collections.synchronizedList(new ArrayList<>());
        nodes.forEachNode(BootstrapPhase.CONFIGURE, controllers, controller -> {
            // Each controller binds its API and its etcd peer port to its own private address (S3; k0sctl
            // renders the same per host): one file copied to every controller would bind them all to the first.
            String own = controller.privateAddress() != null ? controller.privateAddress() : controller.ssh().host();
            String yaml = renderer.render(new ClusterConfigRenderer.Input(run.definition(), own, external, addresses,
                    k0s.apiPort(), own));
            CommandResult current = run.run(BootstrapPhase.CONFIGURE, controller, installer.readConfig());
            if (!current.ok() || !current.stdout().equals(yaml)) {
                run.must(BootstrapPhase.CONFIGURE, controller, installer.writeConfig(yaml));
                if (current.ok() && run.facts(controller).running()) {
                    changedRunning.add(controller);
                }
            }
            // k0s checks the file itself before anything is installed with it (issue 15 item 4): a value it
            // refuses fails here, with its message, instead of as a controller that never comes up.
            run.must(BootstrapPhase.CONFIGURE, controller, installer.validateConfig());
        });
        // k0s reads its configuration at start: a changed one (an addon switched, a chart version) takes effect
        // only when k0s restarts (issue 15 item 5). One controller at a time, each serving again before the
        // next, so the API stays up; VERIFY then checks the addons are there, or gone.
        List<ProvisionedNode> restart = new ArrayList<>(changedRunning);
        restart.sort(Comparator.comparingInt(ProvisionedNode::slot));
        for (ProvisionedNode controller : restart) {
            LOG.info("cluster {}: restarting k0s on {} for its changed configuration", run.cluster(),
                    controller.ssh().host());
            run.must(BootstrapPhase.CONFIGURE, controller, installer.stop());
            run.must(BootstrapPhase.CONFIGURE, controller, installer.start());
            controllerApi.awaitApi(run, BootstrapPhase.CONFIGURE, controller);
        }
    }
}
