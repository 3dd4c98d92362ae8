package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.hosts.CloudInitHostKey;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Joins the two halves of the simulated world after {@code k0ops up} restarted: the instances the EC2 emulator
 * restored and the simulated hosts restored behind them (a host is named after its instance). EC2 is the truth:
 * hosts of instances that are gone are dropped, a live instance whose host was lost gets a fresh one (like a
 * replaced machine: no k0s), and an instance's SSH endpoint tag is re-pointed when its host's endpoint changed
 * (the saved SSH port was taken). The provisioner reads that tag on every reconcile, so later events name the
 * new endpoint.
 */
final class RestoredWorld {

    /**
     * @param dropped   hosts removed because their instance is terminated or unknown
     * @param replaced  fresh hosts for live instances that had none
     * @param repointed SSH endpoint tags changed
     */
    record Reconciled(int dropped, int replaced, int repointed) {
    }

    private RestoredWorld() {
    }

    static Reconciled reconcile(Ec2Emulator ec2, SimulatedHosts hosts, String user) {
        String tag = ec2.options().sshEndpointTag();
        Set<String> alive = ec2.instances().stream().filter(Ec2Emulator.InstanceSummary::alive)
                .map(Ec2Emulator.InstanceSummary::instanceId).collect(Collectors.toSet());
        int dropped = hosts.retainOnly(alive);
        Map<String, SimulatedHost> byName = hosts.hosts().stream()
                .collect(Collectors.toMap(SimulatedHost::hostname, Function.identity(), (a, b) -> a));
        int replaced = 0;
        int repointed = 0;
        for (Ec2Emulator.InstanceSummary instance : ec2.instances()) {
            if (!instance.alive()) {
                continue;
            }
            SimulatedHost host = byName.get(instance.instanceId());
            if (host == null) {
                // The instance boots again from the same user-data: the same host key, as on EC2.
                Ec2Emulator.InstanceSummary launched = instance;
                host = CloudInitHostKey.from(launched.userData())
                        .map(key -> hosts.addHost(launched.instanceId(), user, key))
                        .orElseGet(() -> hosts.addHost(launched.instanceId(), user));
                replaced++;
            }
            String endpoint = host.address() + ":" + hosts.port();
            if (!endpoint.equals(instance.tags().get(tag))) {
                ec2.tagInstance(instance.instanceId(), tag, endpoint);
                repointed++;
            }
        }
        return new Reconciled(dropped, replaced, repointed);
    }

    /** E.g. {@code "; restored 4 hosts, 1 cluster APIs"}; empty when nothing was restored. */
    static String describe(SimulatedHosts.Restored restored) {
        if (restored.hosts() == 0 && restored.clusters() == 0) {
            return "";
        }
        return "; restored " + restored.hosts() + " hosts, " + restored.liveApis() + " cluster APIs"
                + (restored.samePort() ? "" : "; the saved SSH port was taken");
    }

    /** E.g. {@code ", restored 3 VPCs, 12 instances"}. */
    static String describe(Ec2Emulator.StateSummary restored) {
        if (restored.vpcs() == 0 && restored.liveInstances() == 0) {
            return "";
        }
        return ", restored " + restored.vpcs() + " VPCs, " + restored.liveInstances() + " instances";
    }

    /** E.g. {@code "simulated hosts matched to EC2: 2 dropped, 1 endpoint re-pointed"}; empty when nothing changed. */
    static String describe(Reconciled reconciled) {
        if (reconciled.dropped() == 0 && reconciled.replaced() == 0 && reconciled.repointed() == 0) {
            return "";
        }
        return "simulated hosts matched to EC2: " + reconciled.dropped() + " of terminated instances dropped, "
                + reconciled.replaced() + " lost ones replaced by fresh hosts, " + reconciled.repointed()
                + " SSH endpoint tags re-pointed";
    }
}
