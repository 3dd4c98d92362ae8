package io.k0rdent.ops.sandbox.hosts;

import java.util.Optional;

/**
 * What a node that joins a cluster dials, and whether the network lets it through (k0s docs, "Required ports and
 * protocols"): a worker the API (6443) and konnectivity (8132) at the join address, a controller the join API (9443)
 * there and etcd (2380) at the first controller's peer address.
 */
final class JoinPath {

    private JoinPath() {
    }

    /** Why {@code hostname} cannot reach what it dials to join {@code cluster}, or empty when it can. */
    static Optional<String> problem(SimulatedCluster cluster, boolean controller, String hostname,
                                    HostNetwork network) {
        String joinAddress = K0sConfigCheck.joinAddress(cluster.clusterConfig()).orElse(cluster.apiHost());
        if (controller) {
            Optional<String> blocked = network.blocked(hostname, joinAddress, "tcp", 9443);
            if (blocked.isPresent()) {
                return Optional.of("k0s join API " + joinAddress + ":9443 unreachable: " + blocked.get());
            }
            Optional<String> peer = K0sConfigCheck.peerAddress(cluster.clusterConfig());
            if (peer.isPresent()) {
                blocked = network.blocked(hostname, peer.get(), "tcp", 2380);
                if (blocked.isPresent()) {
                    return Optional.of("etcd peer " + peer.get() + ":2380 unreachable: " + blocked.get());
                }
            }
            return Optional.empty();
        }
        for (int port : new int[] {6443, 8132}) {
            Optional<String> blocked = network.blocked(hostname, joinAddress, "tcp", port);
            if (blocked.isPresent()) {
                return Optional.of(joinAddress + ":" + port + " unreachable: " + blocked.get());
            }
        }
        return Optional.empty();
    }
}
