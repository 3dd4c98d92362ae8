package io.k0rdent.ops.sandbox.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import io.k0rdent.ops.sandbox.state.SnapshotFile;
import io.k0rdent.ops.sandbox.state.SnapshotSaver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated SSH hosts for tests and the sandbox: any number of {@link SimulatedHost}s served by ONE
 * Apache MINA SSH server ({@link HostSshServer}). Each host gets its own loopback address ({@code 127.0.x.y}, all on
 * the same port, from {@link LoopbackAddresses}), its own host key, and the session's local address tells the server
 * which host a client reached. One server means one small pool of NIO threads and one command executor for all
 * hosts, which is what lets a thousand simulated clusters share a 2-core machine. The clusters their k0s creates live
 * in a {@link ClusterRegistry}; this class keeps the hosts, their boot, and the snapshot of the whole world.
 *
 * <p>Everything binds to loopback addresses only.
 */
public final class SimulatedHosts implements AutoCloseable {

    /** Where the simulated nodes "download" k0s from; the URL must start with it. */
    public static final String DOWNLOAD_BASE = "https://github.com/k0sproject/k0s/releases/download/";

    /** The file under {@link HostsOptions#stateDir()}. */
    public static final String SNAPSHOT_FILE = "hosts.json";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedHosts.class);
    private final HostsOptions options;
    /** Starts the sshd of hosts that are still booting (see {@link HostsOptions#sshdStartDelay()}), retries joins. */
    private final HostTimers timers = new HostTimers();
    private final Map<String, SimulatedHost> hostsByAddress = new ConcurrentHashMap<>();
    private final LoopbackAddresses addresses;
    private final ClusterRegistry clusters;
    private final AtomicLong sequence = new AtomicLong();
    private final HostSshServer ssh;
    private final int port;
    /** Saves the world to {@link HostsOptions#stateDir()}; {@code null} when it lives in memory only. */
    private final SnapshotSaver<HostsSnapshot> saver;
    private final Restored restored;

    /**
     * What came back from {@link HostsOptions#stateDir()} at start (all zero without one).
     *
     * @param hosts       hosts restored
     * @param clusters    clusters restored
     * @param liveApis    cluster APIs running again
     * @param samePort    whether the SSH port is the saved one (when not, endpoints published with the old port
     *                    must be re-pointed)
     */
    public record Restored(int hosts, int clusters, int liveApis, boolean samePort) {
    }

    private volatile HostNetwork network = HostNetwork.OPEN;

    private SimulatedHosts(HostsOptions options) throws IOException {
        this.options = options;
        SnapshotFile<HostsSnapshot> file = options.stateDir() == null ? null
                : new SnapshotFile<>(options.stateDir().resolve(SNAPSHOT_FILE), HostsSnapshot.class);
        Optional<HostsSnapshot> saved = file == null ? Optional.empty() : file.read();
        if (saved.isPresent() && saved.get().version() != HostsSnapshot.VERSION) {
            throw new IllegalStateException("simulated hosts state of format " + saved.get().version()
                    + ", this sandbox reads " + HostsSnapshot.VERSION + ": " + file.path());
        }
        this.addresses = new LoopbackAddresses(options.apiPort());
        this.clusters = new ClusterRegistry(options.apiPort(), this::network);
        // The saved port if nobody took it meanwhile: endpoints published as tags and in events name it.
        int savedPort = saved.map(HostsSnapshot::sshPort).orElse(0);
        this.ssh = new HostSshServer(savedPort > 0 && LoopbackAddresses.portFree("127.0.0.1", savedPort) ? savedPort : 0,
                options.authorizedKeys(), options.commandThreads(), hostsByAddress::get, this::network);
        this.port = ssh.port();
        this.restored = saved.map(this::restore).orElse(new Restored(0, 0, 0, true));
        this.saver = file == null ? null : new SnapshotSaver<>(file, this::snapshot, Duration.ofMillis(500));
        if (saver != null) {
            saver.saveNow(); // records the port chosen now, even if nothing else happens
        }
    }

    private Restored restore(HostsSnapshot saved) {
        addresses.resumeAt(saved.nextAddress());
        int liveApis = clusters.restore(saved);
        int hosts = 0;
        for (HostsSnapshot.HostData data : saved.hosts()) {
            SimulatedHost host = new SimulatedHost(this, data.address(), data.hostname(), data.user(),
                    HostKeys.fromSaved(data.privateKey(), data.publicKey()));
            host.restore(data, data.clusterId() == null ? null : clusters.get(data.clusterId()));
            hostsByAddress.put(data.address(), host);
            try {
                ssh.bind(data.address());
                hosts++;
            } catch (IOException e) {
                hostsByAddress.remove(data.address());
                LOG.warn("cannot bind simulated host {} at {}:{} again; it is gone", data.hostname(), data.address(),
                        port, e);
            }
        }
        return new Restored(hosts, clusters.size(), liveApis, port == saved.sshPort());
    }

    private HostsSnapshot snapshot() {
        return new HostsSnapshot(HostsSnapshot.VERSION, port, addresses.position(), clusters.nextClusterNumber(),
                hostsByAddress.values().stream().map(SimulatedHost::snapshot).toList(),
                clusters.clusterSnapshots(), clusters.tokenSnapshots());
    }

    /** Something a snapshot holds changed; saved soon after, when the hosts are durable. */
    void stateChanged() {
        if (saver != null) {
            saver.changed();
        }
    }

    /** Puts the hosts behind a network that decides which connections arrive (by default every one does). */
    public void connectThrough(HostNetwork network) {
        this.network = java.util.Objects.requireNonNull(network, "network");
    }

    /** Tries {@code host}'s pending join every half second until it succeeds or k0s stops (at most an hour). */
    void retryJoin(SimulatedHost host) {
        timers.retry(host::retryJoin, Duration.ofHours(1));
    }

    /** The network the hosts are behind, for the simulated k0s's own connections. */
    HostNetwork network() {
        return network;
    }

    /** What was restored at start. */
    public Restored restored() {
        return restored;
    }

    /** Writes the snapshot now (a no-op without a state dir). */
    public void saveState() {
        if (saver != null) {
            saver.saveNow();
        }
    }

    /**
     * Keeps only the hosts named in {@code hostnames} (after a restart: the instances still alive in EC2), and
     * releases every cluster left without a host.
     *
     * @return how many hosts were removed
     */
    public int retainOnly(java.util.Set<String> hostnames) {
        List<SimulatedHost> gone = hostsByAddress.values().stream()
                .filter(h -> !hostnames.contains(h.hostname())).toList();
        gone.forEach(this::removeHost);
        java.util.Set<SimulatedCluster> used = new java.util.HashSet<>();
        hostsByAddress.values().forEach(h -> h.cluster().ifPresent(used::add));
        clusters.all().stream().filter(c -> !used.contains(c)).toList().forEach(this::release);
        return gone.size();
    }

    /** Starts the shared SSH server on 127.0.0.1 and a free port; hosts are added with {@link #addHost}. */
    public static SimulatedHosts start(HostsOptions options) {
        try {
            return new SimulatedHosts(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulated SSH server", e);
        }
    }

    /** The SSH port of every host. */
    public int port() {
        return port;
    }

    /**
     * Adds a host at the next free loopback address ({@code 127.0.1.1}, {@code 127.0.1.2}, ...; 127.0.0.x stays free).
     *
     * @param hostname what {@code hostname} prints, also its Kubernetes node name
     * @param user     the login name it accepts
     */
    public SimulatedHost addHost(String hostname, String user) {
        return addHost(hostname, user, HostKeys.generate());
    }

    /**
     * Adds a host with a given host key: the key an instance's user-data installs (see {@link CloudInitHostKey}), as
     * cloud-init would at first boot.
     */
    public SimulatedHost addHost(String hostname, String user, KeyPair hostKey) {
        String address = addresses.next();
        SimulatedHost host = new SimulatedHost(this, address, hostname, user, hostKey);
        hostsByAddress.put(address, host);
        if (options.sshdStartDelay().isZero()) {
            bind(host);
        } else {
            // Booting: nothing listens on the host's address yet, so a connection is refused, as on EC2.
            timers.after(options.sshdStartDelay(), () -> {
                if (hostsByAddress.get(address) == host) {
                    bind(host);
                }
            });
        }
        stateChanged();
        return host;
    }

    private void bind(SimulatedHost host) {
        try {
            ssh.bind(host.address());
        } catch (IOException e) {
            LOG.warn("cannot bind simulated host {} at {}:{}: {}", host.hostname(), host.address(), port,
                    e.getMessage());
            if (options.sshdStartDelay().isZero()) {
                hostsByAddress.remove(host.address());
                throw new UncheckedIOException("cannot bind " + host.address() + ":" + port, e);
            }
        }
    }

    /**
     * A loopback address no host has or will get, e.g. for a load balancer's DNS name in the sandbox; the same
     * sequence as the hosts', so nothing else on this machine holds its API port either.
     */
    public String reserveAddress() {
        String address = addresses.next();
        stateChanged();
        return address;
    }

    /**
     * Where the Kubernetes API that the host named {@code hostname} serves on its API port really listens (its
     * cluster's API server), while it serves one.
     */
    public Optional<InetSocketAddress> apiEndpoint(String hostname) {
        return hostsByAddress.values().stream().filter(h -> h.hostname().equals(hostname))
                .filter(SimulatedHost::servesApi).findFirst()
                .flatMap(SimulatedHost::cluster)
                .map(c -> java.net.URI.create(c.apiUrl()))
                .map(uri -> new InetSocketAddress(uri.getHost(), uri.getPort()));
    }

    /**
     * The names and addresses the API serving certificate of the controller at {@code hostAddressOrInstanceId} (its
     * loopback address or its hostname, which is its instance id in the sandbox) covers, as its k0s last started;
     * empty when no such controller runs.
     */
    public java.util.Set<String> apiCertificateNames(String hostAddressOrInstanceId) {
        SimulatedHost byAddress = hostsByAddress.get(hostAddressOrInstanceId);
        Optional<SimulatedHost> host = byAddress != null ? Optional.of(byAddress)
                : hostsByAddress.values().stream().filter(h -> h.hostname().equals(hostAddressOrInstanceId))
                        .findFirst();
        return host.map(SimulatedHost::apiCertificateNames).orElse(java.util.Set.of());
    }

    /** The port every simulated k0s serves its Kubernetes API on. */
    public int apiPort() {
        return options.apiPort();
    }

    public Optional<SimulatedHost> host(String address) {
        return Optional.ofNullable(hostsByAddress.get(address));
    }

    public Collection<SimulatedHost> hosts() {
        return List.copyOf(hostsByAddress.values());
    }

    /** Every command every host received, in the order they arrived. */
    public List<CommandRecord> commands() {
        List<CommandRecord> all = new ArrayList<>();
        hostsByAddress.values().forEach(h -> all.addAll(h.commands()));
        all.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return all;
    }

    /** Number of simulated cluster APIs currently running. */
    public int runningApis() {
        return clusters.runningApis();
    }

    /** Stops a cluster's API and forgets it, e.g. after its infrastructure was destroyed. */
    public void release(SimulatedCluster cluster) {
        clusters.release(cluster);
        stateChanged();
    }

    /** Removes hosts (terminated instances); their addresses are not reused. */
    public void removeHost(SimulatedHost host) {
        hostsByAddress.remove(host.address());
        // Unbinding one address closes only that listening socket; other hosts keep theirs.
        ssh.unbind(host.address());
        stateChanged();
    }

    /**
     * Makes {@code host} refuse new SSH connections (its listening socket is closed; sessions already open go on),
     * like a node whose sshd is down, until {@link #acceptConnections}. For fault tests.
     */
    public void refuseConnections(SimulatedHost host) {
        ssh.unbind(host.address());
    }

    /** Lets {@code host} accept SSH connections again after {@link #refuseConnections}; a removed host stays gone. */
    public void acceptConnections(SimulatedHost host) {
        if (hostsByAddress.get(host.address()) != host || ssh.isBound(host.address())) {
            return;
        }
        try {
            ssh.bind(host.address());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host.address() + ":" + port + " again", e);
        }
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    String downloadBase() {
        return DOWNLOAD_BASE;
    }

    String binaryPath() {
        return options.binaryPath();
    }

    /** The clusters the hosts' k0s created and their join tokens. */
    ClusterRegistry clusters() {
        return clusters;
    }

    SimulatedCluster newCluster(String apiAddress, String clusterConfig) {
        SimulatedCluster cluster = clusters.newCluster(apiAddress, clusterConfig);
        stateChanged();
        return cluster;
    }

    /** Every join token the simulated controllers issued, so tests can check none leaked into logs or events. */
    public List<String> issuedTokens() {
        return clusters.issuedTokens();
    }

    /** The issued join tokens that could still be used to join now (neither expired nor invalidated). */
    public List<String> usableTokens() {
        return clusters.usableTokens();
    }

    @Override
    public void close() {
        timers.close();
        if (saver != null) {
            // Before the APIs stop: the final snapshot reads what they hold.
            try {
                saver.close();
            } catch (RuntimeException e) {
                LOG.warn("could not save the simulated hosts on close", e);
            }
        }
        clusters.stopClusters();
        try {
            ssh.close();
        } finally {
            clusters.closeApiServers();
        }
    }
}
