package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.bootstrap.ssh.RemoteShell;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DRAIN: retiring nodes leave the cluster cleanly before the provisioner terminates them. */
final class NodeRetirement {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final NodeCommands nodes;
    private final K0sInstaller installer;
    private final WorkloadClusterProbe probe;
    private final ManagementCluster management;
    private final NodeDrains drains;
    private final Clock clock;

    NodeRetirement(NodeCommands nodes, K0sInstaller installer, WorkloadClusterProbe probe, ManagementCluster management,
                   NodeDrains drains, Clock clock) {
        this.nodes = nodes;
        this.drains = drains;
        this.installer = installer;
        this.probe = probe;
        this.management = management;
        this.clock = clock;
    }

    NodesDrained drain(NodesRetirementRequested event) {
        String cluster = event.header().clusterName();
        try {
            SafeValues.clusterName(cluster);
            for (ProvisionedNode node : event.nodes()) {
                SafeValues.address(node.ssh().host());
                SafeValues.port(node.ssh().port());
                SafeValues.sshUser(node.ssh().user());
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PhaseFailure(BootstrapPhase.DRAIN, null, null, null, "rejected before any command: " + e.getMessage(), false);
        }
        String kubeconfig = management.kubeconfig(cluster).orElseThrow(() -> new PhaseFailure(BootstrapPhase.DRAIN, null,
                null, null, "no kubeconfig Secret for " + cluster + ": the cluster was never Ready", false));
        List<String> drained = new ArrayList<>();
        try (WorkloadCluster api = probe.open(kubeconfig)) {
            for (ProvisionedNode node : event.nodes()) {
                try (RemoteShell shell = nodes.connect(BootstrapPhase.DRAIN, node)) {
                    String hostname = nodes.hostnameOf(BootstrapPhase.DRAIN, shell, node);
                    boolean registered = api.nodes().stream().anyMatch(n -> n.name().equals(hostname));
                    if (registered) {
                        LOG.info("cluster {}: cordoning and draining {}", cluster, hostname);
                        drains.cordonAndDrain(BootstrapPhase.DRAIN, api, node, hostname, "retirement");
                    }
                    if (node.role() == NodeRole.CONTROLLER) {
                        // A controller leaves etcd itself while it still runs, so the quorum shrinks cleanly
                        // instead of counting a terminated member.
                        NodeCommands.mustRun(BootstrapPhase.DRAIN, shell, node, installer.leaveEtcd(), List.of(), true);
                    }
                    // Stopped before the Node object goes, or its kubelet would register it again.
                    NodeCommands.mustRun(BootstrapPhase.DRAIN, shell, node, installer.stop(), List.of(), true);
                    if (registered) {
                        api.deleteNode(hostname);
                    }
                    drained.add(node.instanceId());
                }
            }
        } catch (PhaseFailure failure) {
            throw failure;
        } catch (RuntimeException e) {
            throw new PhaseFailure(BootstrapPhase.DRAIN, null, null, null, "draining failed: " + e.getMessage(), true);
        }
        return new NodesDrained(event.header().causing("bootstrap/nodes-drained", clock.instant()), drained);
    }
}
