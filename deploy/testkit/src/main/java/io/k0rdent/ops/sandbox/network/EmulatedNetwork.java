package io.k0rdent.ops.sandbox.network;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Flow;
import io.k0rdent.ops.sandbox.ec2.NetworkVerdict;
import io.k0rdent.ops.sandbox.hosts.HostNetwork;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import java.util.Optional;

/**
 * The simulated hosts' network as the EC2 twin's resources make it: a connection arrives only where
 * {@link Ec2Emulator#reach} says AWS would deliver it. The operator (where the bootstrap service connects from) is an
 * address on a network that also reaches private addresses (a VPN, peering or jump host in production), so what
 * decides is the node's route back and its security groups.
 */
public final class EmulatedNetwork implements HostNetwork {

    private final Ec2Emulator emulator;
    private final SimulatedHosts hosts;
    private final String operatorAddress;

    /**
     * @param operatorAddress the address the bootstrap service's connections come from, e.g. inside the
     *                        provisioner's {@code admin-cidr}
     */
    public EmulatedNetwork(Ec2Emulator emulator, SimulatedHosts hosts, String operatorAddress) {
        this.emulator = emulator;
        this.hosts = hosts;
        this.operatorAddress = operatorAddress;
    }

    @Override
    public Optional<String> operatorSshBlocked(String hostname) {
        NetworkVerdict verdict = emulator.reach(Flow.fromOperatorNetwork(operatorAddress, hostname, "tcp", 22));
        return verdict.delivered() ? Optional.empty() : Optional.of(verdict.reason());
    }

    @Override
    public Optional<String> blocked(String fromHostname, String address, String protocol, int port) {
        // A host's sandbox address stands in for its instance's public address (or its only one): dial the instance.
        String destination = hosts.host(address).map(SimulatedHost::hostname).orElse(address);
        return verdict(emulator.reach(Flow.fromInstance(fromHostname, destination, protocol, port)));
    }

    @Override
    public Optional<String> internetBlocked(String fromHostname) {
        return verdict(emulator.reach(Flow.toInternet(fromHostname, 443)));
    }

    @Override
    public Optional<String> podTrafficBlocked(String fromHostname, String toHostname, boolean encapsulateAll) {
        return verdict(emulator.podTraffic(fromHostname, toHostname, encapsulateAll));
    }

    private static Optional<String> verdict(NetworkVerdict verdict) {
        return verdict.delivered() ? Optional.empty() : Optional.of(verdict.reason());
    }
}
