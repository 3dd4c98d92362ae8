package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INSTALL_K0S: the definition's k0s binary on every node that has neither it nor a running k0s. */
final class K0sInstallation {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final NodeCommands nodes;
    private final K0sInstaller installer;

    K0sInstallation(NodeCommands nodes, K0sInstaller installer) {
        this.nodes = nodes;
        this.installer = installer;
    }

    void install(BootstrapRun run) {
        String version = run.version();
        List<ProvisionedNode> missing = run.all().stream().filter(node -> {
            NodeFacts f = run.facts(node);
            return !version.equals(f.installedVersion()) && !f.running();
        }).toList();
        nodes.forEachNode(BootstrapPhase.INSTALL_K0S, missing, node -> {
            NodeFacts f = run.facts(node);
            LOG.info("cluster {}: installing k0s {} on {}", run.cluster(), version, node.ssh().host());
            putBinary(run, BootstrapPhase.INSTALL_K0S, node);
            run.facts(node, new NodeFacts(f.hostname(), f.machine(), f.arch(), f.os(), version, false));
        });
    }

    /** Puts the run's k0s version on the node, from the local cache when it holds one, and checks it reports so. */
    void putBinary(BootstrapRun run, BootstrapPhase phase, ProvisionedNode node) {
        String version = run.version();
        String arch = run.facts(node).arch();
        Optional<String> local = installer.localBinary(version, arch);
        if (local.isPresent()) {
            byte[] binary;
            try {
                binary = Files.readAllBytes(Path.of(local.get()));
            } catch (IOException e) {
                throw new PhaseFailure(phase, null, null, null, "cannot read the local k0s binary " + local.get(), false);
            }
            run.must(phase, node, installer.upload(binary));
        } else {
            run.must(phase, node, installer.download(version, arch));
        }
        CommandResult check = run.must(phase, node, installer.installedVersion());
        String installed = K0sInstaller.parseVersion(check.stdout()).orElse(null);
        if (!version.equals(installed)) {
            throw new PhaseFailure(phase, node.ssh().host(), installer.installedVersion().toString(), null,
                    "installed k0s reports version " + installed + ", expected " + version, true);
        }
    }
}
