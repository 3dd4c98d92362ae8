package io.k0rdent.ops.sandbox.hosts;

import java.util.Optional;

/**
 * Which connections to and from simulated hosts would arrive, as the network the hosts live in decides; each method
 * answers "arrives" unless an implementation says otherwise. With {@link #OPEN} every one does (tests of the hosts
 * alone); the sandbox answers from the EC2 twin's routes, gateways and security groups. A host's name is its
 * instance id.
 */
public interface HostNetwork {

    /** Every connection arrives. */
    HostNetwork OPEN = new HostNetwork() {
    };

    /**
     * Why the operator's SSH connection (the bootstrap service's) to the host would not arrive; empty when it would.
     */
    default Optional<String> operatorSshBlocked(String hostname) {
        return Optional.empty();
    }

    /**
     * Why a connection from the host named {@code fromHostname} to {@code address} would not arrive: a node joining
     * its controllers, etcd peers, kube-router between workers. The address is what k0s dials: another host's VPC
     * address, its sandbox address (standing in for its public one), or a load balancer's name.
     */
    default Optional<String> blocked(String fromHostname, String address, String protocol, int port) {
        return Optional.empty();
    }

    /** Why the host could not reach the internet (a download from GitHub, an image pull). */
    default Optional<String> internetBlocked(String fromHostname) {
        return Optional.empty();
    }

    /**
     * Why a pod on the host named {@code fromHostname} could not exchange packets with a pod on {@code toHostname}
     * through k0s's pod network (kube-router: BGP between the nodes, IP-in-IP across subnets or, with
     * {@code encapsulateAll}, always).
     */
    default Optional<String> podTrafficBlocked(String fromHostname, String toHostname, boolean encapsulateAll) {
        return Optional.empty();
    }
}
