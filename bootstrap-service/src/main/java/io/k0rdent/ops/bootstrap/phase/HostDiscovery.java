package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.util.HashSet;
import java.util.Set;

/** CONNECT, GATHER_FACTS and VALIDATE_HOSTS: sessions to every node, what is on them, and whether k0s can go there. */
final class HostDiscovery {

    private final NodeCommands nodes;
    private final K0sInstaller installer;
    private final BootstrapProperties.K0s k0s;

    HostDiscovery(NodeCommands nodes, K0sInstaller installer, BootstrapProperties.K0s k0s) {
        this.nodes = nodes;
        this.installer = installer;
        this.k0s = k0s;
    }

    void connect(BootstrapRun run) {
        nodes.forEachNode(BootstrapPhase.CONNECT, run.all(), node -> run.connected(node,
                nodes.connect(BootstrapPhase.CONNECT, node, run.definition().spec().ssh().keyName())));
    }

    void gatherFacts(BootstrapRun run) {
        BootstrapPhase phase = BootstrapPhase.GATHER_FACTS;
        nodes.forEachNode(phase, run.all(), node -> {
            String machine = run.must(phase, node, installer.architecture()).stdout().strip();
            String os = K0sInstaller.osId(run.must(phase, node, installer.osRelease()).stdout()).orElse("unknown");
            String hostname = run.must(phase, node, installer.hostname()).stdout().strip();
            CommandResult version = run.run(phase, node, installer.installedVersion());
            String installed = version.ok() ? K0sInstaller.parseVersion(version.stdout()).orElse(null) : null;
            boolean running = run.run(phase, node, installer.status()).ok();
            run.facts(node, new NodeFacts(hostname, machine, K0sInstaller.k0sArch(machine).orElse(null),
                    os, installed, running));
        });
        run.factsGathered();
    }

    void validateHosts(BootstrapRun run) {
        BootstrapPhase phase = BootstrapPhase.VALIDATE_HOSTS;
        Set<String> hostnames = new HashSet<>();
        for (ProvisionedNode node : run.all()) {
            NodeFacts f = run.facts(node);
            if (f.arch() == null) {
                throw new PhaseFailure(phase, node.ssh().host(), "uname -m", null,
                        "unsupported architecture '" + f.machine() + "': k0s runs on x86_64, aarch64 and armv7", false);
            }
            try {
                SafeValues.hostname(f.hostname());
            } catch (IllegalArgumentException e) {
                throw new PhaseFailure(phase, node.ssh().host(), "hostname", null, e.getMessage(), false);
            }
            if (!hostnames.add(f.hostname())) {
                throw new PhaseFailure(phase, node.ssh().host(), "hostname", null,
                        "hostname '" + f.hostname() + "' is used by more than one node; Kubernetes node names must be unique", false);
            }
            if (f.installedVersion() != null && f.running()) {
                try {
                    UpgradePlanner.requireAllowed(f.installedVersion(), run.version(), k0s.allowDowngrade());
                } catch (IllegalArgumentException e) {
                    throw new PhaseFailure(phase, node.ssh().host(), "k0s version", null, e.getMessage(), false);
                }
            }
        }
    }
}
