package io.k0rdent.ops.sandbox.hosts;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * How {@link SimulatedHosts} behave: who may log in, the API port, where k0s goes, threads, durability, boot time.
 *
 * @param authorizedKeys public keys allowed to log in on every host
 * @param apiPort        port of every simulated cluster API (the installer's {@code api-port})
 * @param binaryPath     where the installer puts the k0s binary
 * @param commandThreads threads interpreting commands for all hosts
 * @param stateDir       where the hosts, their simulated k0s and the cluster APIs are restored from at start and
 *                       saved to (after changes and on close), or {@code null} to keep them in memory only (the
 *                       default, for tests)
 * @param sshdStartDelay how long after a host is added its sshd starts listening, as an EC2 instance's sshd
 *                       starts only some seconds after the instance is {@code running} (boot, cloud-init); until
 *                       then a connection is refused. Zero for tests that do not model boot time
 */
public record HostsOptions(List<PublicKey> authorizedKeys, int apiPort, String binaryPath, int commandThreads,
                           Path stateDir, java.time.Duration sshdStartDelay) {

    public HostsOptions {
        authorizedKeys = List.copyOf(authorizedKeys);
        sshdStartDelay = sshdStartDelay == null ? java.time.Duration.ZERO : sshdStartDelay;
    }

    /** In memory only. */
    public HostsOptions(List<PublicKey> authorizedKeys, int apiPort, String binaryPath, int commandThreads) {
        this(authorizedKeys, apiPort, binaryPath, commandThreads, null, java.time.Duration.ZERO);
    }

    /** Hosts whose sshd starts {@code delay} after they are added (restored hosts have booted already). */
    public HostsOptions withSshdStartDelay(java.time.Duration delay) {
        return new HostsOptions(authorizedKeys, apiPort, binaryPath, commandThreads, stateDir, delay);
    }

    /**
     * Makes the hosts durable, for {@code k0ops up}: a restart brings every saved host back at its address, on
     * the saved SSH port if it is still free, with its host key, files, k0s state and cluster, and every cluster
     * API that was running back on its address and port with its nodes and pods.
     */
    public HostsOptions withStateDir(Path dir) {
        return new HostsOptions(authorizedKeys, apiPort, binaryPath, commandThreads, dir, sshdStartDelay);
    }

    /** Defaults matching the bootstrap service's defaults. */
    public static HostsOptions authorizing(PublicKey key) {
        return new HostsOptions(List.of(key), 6443, "/usr/local/bin/k0s", 4);
    }
}
