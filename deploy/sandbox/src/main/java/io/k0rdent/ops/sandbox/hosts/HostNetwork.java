package io.k0rdent.ops.sandbox.hosts;

import java.util.Optional;

/**
 * Which connections to and from simulated hosts would arrive, as the network the hosts live in decides: with
 * {@link #OPEN} every one does (tests of the hosts alone); the sandbox answers from the EC2 twin's routes, gateways
 * and security groups. A host's name is its instance id.
 */
public interface HostNetwork {

    /** Every connection arrives. */
    HostNetwork OPEN = new HostNetwork() {
        @Override
        public Optional<String> operatorSshBlocked(String hostname) {
            return Optional.empty();
        }
    };

    /**
     * Why the operator's SSH connection (the bootstrap service's) to the host would not arrive; empty when it would.
     */
    Optional<String> operatorSshBlocked(String hostname);
}
