package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.hosts.CloudInitHostKey;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.HostsOptions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.k0rdent.ops.sandbox.network.EmulatedNetwork;
import io.k0rdent.ops.sandbox.network.LoadBalancerForwarder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The simulated AWS side of a sandbox: the hosts every launched instance boots into, the EC2/ELBv2 twin, the network
 * between them and the load balancers' forwarder. Saved under the state dir ({@code hosts/}, {@code ec2/}) and brought
 * back, matched with each other, on restart.
 */
record SimulatedCloud(SimulatedHosts hosts, Ec2Emulator ec2, String region) {

    /** Whoever starts the parts stops them, in reverse order. */
    interface Parts {
        <T extends AutoCloseable> T track(T part);
    }

    static SimulatedCloud start(Path stateDir, SandboxKey key, Consumer<String> progress, Parts parts)
            throws Exception {
        SimulatedHosts hosts = parts.track(SimulatedHosts.start(HostsOptions.authorizing(key.keyPair().getPublic())
                .withStateDir(stateDir.resolve("hosts")).withSshdStartDelay(SandboxPhysics.sshdStartDelay())));
        progress.accept("simulated SSH hosts ready on port " + hosts.port() + " (one loopback address per host"
                + RestoredWorld.describe(hosts.restored()) + ")");

        Ec2EmulatorOptions ec2Options = Ec2EmulatorOptions.forTests().withStrictness(SandboxPhysics.ec2Strictness())
                .withLoadBalancerTiming(SandboxPhysics.loadBalancerTiming()).withQuotas(SandboxPhysics.quotas())
                .withSshEndpointHook(instance -> {
            // Every launched instance becomes a simulated host, booted as cloud-init would boot it: with the host key
            // its user-data installs, else one of its own. The provisioner publishes this endpoint.
            SimulatedHost host = CloudInitHostKey.from(instance.userData())
                    .map(hostKey -> hosts.addHost(instance.instanceId(), "ubuntu", hostKey))
                    .orElseGet(() -> hosts.addHost(instance.instanceId(), "ubuntu"))
                    .privateAddress(instance.privateIpAddress());
            return host.address() + ":" + hosts.port();
        }).withStateFile(stateDir.resolve("ec2/state.json"))
                // Each load balancer's DNS name is a loopback address of its own, which the forwarder below answers
                // on: the cluster's API address then works for kubectl and the services on this machine.
                .withLoadBalancerDns((name, id, region) -> hosts.reserveAddress());
        Ec2Emulator ec2 = parts.track(Ec2Emulator.start(ec2Options));
        // SSH from the bootstrap service arrives only where routes and security groups let it (admin-cidr is
        // 127.0.0.1/32 in ServiceSettings).
        hosts.connectThrough(new EmulatedNetwork(ec2, hosts, ServiceSettings.OPERATOR_ADDRESS));
        parts.track(LoadBalancerForwarder.start(ec2, hosts, ServiceSettings.OPERATOR_ADDRESS, Duration.ofMillis(500)));
        progress.accept("EC2 emulator ready at " + ec2.endpoint() + " (region " + ec2Options.region()
                + RestoredWorld.describe(ec2.restored()) + ")");
        String matched = RestoredWorld.describe(RestoredWorld.reconcile(ec2, hosts, "ubuntu"));
        if (!matched.isEmpty()) {
            progress.accept(matched);
        }
        return new SimulatedCloud(hosts, ec2, ec2Options.region());

    }
}
