package io.k0rdent.ops.sandbox.hosts;

import java.io.IOException;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import io.k0rdent.ops.sandbox.state.SnapshotFile;
import io.k0rdent.ops.sandbox.state.SnapshotSaver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * Simulated SSH hosts for tests and the sandbox: any number of {@link SimulatedHost}s served by ONE
 * Apache MINA {@link SshServer}. Each host gets its own loopback address ({@code 127.0.x.y}, all on
 * the same port), its own host key, and the session's local address tells the server which host a
 * client reached. One server means one small pool of NIO threads and one command executor for all
 * hosts, which is what lets a thousand simulated clusters share a 2-core machine.
 *
 * <p>Everything binds to loopback addresses only.
 */
public final class SimulatedHosts implements AutoCloseable {

    /** Where the simulated nodes "download" k0s from; the URL must start with it. */
    public static final String DOWNLOAD_BASE = "https://github.com/k0sproject/k0s/releases/download/";

    /** The file under {@link Options#stateDir()}. */
    public static final String SNAPSHOT_FILE = "hosts.json";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedHosts.class);

    private final Options options;
    /** Starts the sshd of hosts that are still booting (see {@link Options#sshdStartDelay()}). */
    private final java.util.concurrent.ScheduledExecutorService booting =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "simulated-hosts-boot");
                thread.setDaemon(true);
                return thread;
            });
    private final Map<String, SimulatedHost> hostsByAddress = new ConcurrentHashMap<>();
    private final JoinTokens tokens = new JoinTokens();
    private final Map<String, SimulatedCluster> clusters = new ConcurrentHashMap<>();
    // A random start keeps two sandboxes on one machine (a test run beside `k0ops up`) apart: each simulated
    // cluster API listens on the same port of its first controller's address.
    private final AtomicInteger nextAddress = new AtomicInteger(250 * new SecureRandom().nextInt(40_000));
    private final AtomicInteger nextCluster = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService commands;
    private final ClusterApiServers apis = new ClusterApiServers();
    private final Server server;
    private final int port;
    /** Saves the world to {@link Options#stateDir()}; {@code null} when it lives in memory only. */
    private final SnapshotSaver<HostsSnapshot> saver;
    private final Restored restored;

    /**
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
    public record Options(List<PublicKey> authorizedKeys, int apiPort, String binaryPath, int commandThreads,
                          Path stateDir, java.time.Duration sshdStartDelay) {

        public Options {
            authorizedKeys = List.copyOf(authorizedKeys);
            sshdStartDelay = sshdStartDelay == null ? java.time.Duration.ZERO : sshdStartDelay;
        }

        /** In memory only. */
        public Options(List<PublicKey> authorizedKeys, int apiPort, String binaryPath, int commandThreads) {
            this(authorizedKeys, apiPort, binaryPath, commandThreads, null, java.time.Duration.ZERO);
        }

        /** Hosts whose sshd starts {@code delay} after they are added (restored hosts have booted already). */
        public Options withSshdStartDelay(java.time.Duration delay) {
            return new Options(authorizedKeys, apiPort, binaryPath, commandThreads, stateDir, delay);
        }

        /**
         * Makes the hosts durable, for {@code k0ops up}: a restart brings every saved host back at its address, on
         * the saved SSH port if it is still free, with its host key, files, k0s state and cluster, and every cluster
         * API that was running back on its address and port with its nodes and pods.
         */
        public Options withStateDir(Path dir) {
            return new Options(authorizedKeys, apiPort, binaryPath, commandThreads, dir, sshdStartDelay);
        }

        /** Defaults matching the bootstrap service's defaults. */
        public static Options authorizing(PublicKey key) {
            return new Options(List.of(key), 6443, "/usr/local/bin/k0s", 4);
        }
    }

    /**
     * What came back from {@link Options#stateDir()} at start (all zero without one).
     *
     * @param hosts       hosts restored
     * @param clusters    clusters restored
     * @param liveApis    cluster APIs running again
     * @param samePort    whether the SSH port is the saved one (when not, endpoints published with the old port
     *                    must be re-pointed)
     */
    public record Restored(int hosts, int clusters, int liveApis, boolean samePort) {
    }

    /** A server that can bind more addresses after start; MINA keeps its acceptor protected. */
    private static final class Server extends SshServer {

        void bindMore(SocketAddress address) throws IOException {
            acceptor.bind(address);
        }

        void unbindOne(SocketAddress address) {
            acceptor.unbind(address);
        }
    }

    private volatile HostNetwork network = HostNetwork.OPEN;

    private SimulatedHosts(Options options) throws IOException {
        this.options = options;
        SnapshotFile<HostsSnapshot> file = options.stateDir() == null ? null
                : new SnapshotFile<>(options.stateDir().resolve(SNAPSHOT_FILE), HostsSnapshot.class);
        Optional<HostsSnapshot> saved = file == null ? Optional.empty() : file.read();
        if (saved.isPresent() && saved.get().version() != HostsSnapshot.VERSION) {
            throw new IllegalStateException("simulated hosts state of format " + saved.get().version()
                    + ", this sandbox reads " + HostsSnapshot.VERSION + ": " + file.path());
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory daemon = r -> {
            Thread t = new Thread(r, "simulated-host-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.commands = Executors.newFixedThreadPool(options.commandThreads(), daemon);
        // The builder installs MINA's default ciphers, key exchanges and MACs, as setUpDefaultServer() does.
        this.server = (Server) ServerBuilder.builder().factory(Server::new).build();
        server.setHost("127.0.0.1");
        // The saved port if nobody took it meanwhile: endpoints published as tags and in events name it.
        int savedPort = saved.map(HostsSnapshot::sshPort).orElse(0);
        server.setPort(savedPort > 0 && portFree("127.0.0.1", savedPort) ? savedPort : 0);
        server.setKeyPairProvider(new PerHostKeys());
        // Classical key exchanges only: MINA's post-quantum hybrids (ML-KEM, sntrup761) are pure Java and
        // cost a large share of a 2-core machine per handshake; what is simulated here is k0s, not KEX.
        server.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                List.of(BuiltinDHFactories.curve25519, BuiltinDHFactories.ecdhp256), ServerBuilder.DH2KEX));
        // Many small exchanges per command: without TCP_NODELAY each waits for delayed ACKs.
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((username, key, session) -> {
            SimulatedHost host = hostsByAddress.get(address(session.getLocalAddress()));
            return host != null && host.user().equals(username)
                    && options.authorizedKeys().stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
        });
        server.setCommandFactory((channel, line) -> new HostCommand(line));
        // A connection the network would not deliver never reaches sshd. On AWS it goes unanswered; here it is
        // closed at once, which an SSH client meets the same way: no session, try again later.
        server.setIoServiceEventListener(new IoServiceEventListener() {
            @Override
            public void connectionAccepted(IoAcceptor acceptor, SocketAddress local, SocketAddress remote,
                                           SocketAddress service) throws IOException {
                SimulatedHost host = hostsByAddress.get(address(local));
                Optional<String> blocked = host == null ? Optional.empty()
                        : network.operatorSshBlocked(host.hostname());
                if (blocked.isPresent()) {
                    LOG.info("SSH to {} dropped by the network: {}", host.hostname(), blocked.get());
                    throw new IOException("dropped by the network: " + blocked.get());
                }
            }
        });
        // A host can be a bastion: it forwards direct-tcpip connections, but only to loopback addresses, so
        // nothing in the sandbox can reach beyond the machine; remote forwarding (listening) is refused.
        server.setForwardingFilter(ForwardingFilter.asForwardingFilter(null, null, new TcpForwardingFilter() {
            @Override
            public boolean canListen(SshdSocketAddress address, Session session) {
                return false;
            }

            @Override
            public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                SimulatedHost bastion = hostsByAddress.get(address(session.getLocalAddress()));
                if (type != Type.Direct || bastion == null || !isLoopback(address.getHostName())) {
                    return false;
                }
                bastion.recordTunnel(address.getHostName() + ":" + address.getPort());
                return true;
            }
        }));
        server.start();
        this.port = ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
        this.restored = saved.map(this::restore).orElse(new Restored(0, 0, 0, true));
        this.saver = file == null ? null : new SnapshotSaver<>(file, this::snapshot, Duration.ofMillis(500));
        if (saver != null) {
            saver.saveNow(); // records the port chosen now, even if nothing else happens
        }
    }

    private Restored restore(HostsSnapshot saved) {
        nextAddress.set(saved.nextAddress());
        nextCluster.set(saved.nextCluster());
        int liveApis = 0;
        for (HostsSnapshot.ClusterData data : saved.clusters()) {
            SimulatedCluster cluster;
            try {
                cluster = SimulatedCluster.restore(data, apis, this::network);
            } catch (RuntimeException e) {
                LOG.warn("cannot start the API of simulated cluster {} at {}:{} again; it stays down",
                        data.id(), data.apiAddress(), data.apiPort(), e);
                cluster = new SimulatedCluster(data.id(), data.apiAddress(), data.apiPort(), data.clusterConfig(),
                        apis, this::network);
            }
            clusters.put(cluster.id(), cluster);
            liveApis += cluster.apiStarted() ? 1 : 0;
        }
        for (HostsSnapshot.TokenData token : saved.tokens()) {
            SimulatedCluster cluster = clusters.get(token.clusterId());
            if (cluster != null) {
                tokens.restore(token.token(), new JoinTokens.Token(cluster, token.role(),
                        token.id() == null ? "" : token.id(),
                        token.expiresAt() == null ? null : java.time.Instant.parse(token.expiresAt()),
                        Boolean.TRUE.equals(token.invalidated())));
            }
        }
        int hosts = 0;
        for (HostsSnapshot.HostData data : saved.hosts()) {
            SimulatedHost host = new SimulatedHost(this, data.address(), data.hostname(), data.user(),
                    hostKey(data.privateKey(), data.publicKey()));
            host.restore(data, data.clusterId() == null ? null : clusters.get(data.clusterId()));
            hostsByAddress.put(data.address(), host);
            try {
                server.bindMore(new InetSocketAddress(data.address(), port));
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
        return new HostsSnapshot(HostsSnapshot.VERSION, port, nextAddress.get(), nextCluster.get(),
                hostsByAddress.values().stream().map(SimulatedHost::snapshot).toList(),
                clusters.values().stream().map(SimulatedCluster::snapshot).toList(),
                tokens.all().entrySet().stream().map(e -> new HostsSnapshot.TokenData(e.getKey(),
                        e.getValue().cluster().id(), e.getValue().role(), e.getValue().id(),
                        e.getValue().expiresAt() == null ? null : e.getValue().expiresAt().toString(),
                        e.getValue().invalidated())).toList());
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
        long until = System.nanoTime() + Duration.ofHours(1).toNanos();
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledFuture<?>> task =
                new java.util.concurrent.atomic.AtomicReference<>();
        task.set(booting.scheduleWithFixedDelay(() -> {
            if (host.retryJoin() || System.nanoTime() > until) {
                java.util.concurrent.ScheduledFuture<?> self = task.get();
                if (self != null) {
                    self.cancel(false);
                }
            }
        }, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS));
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
        clusters.values().stream().filter(c -> !used.contains(c)).toList().forEach(this::release);
        return gone.size();
    }

    /** Starts the shared SSH server on 127.0.0.1 and a free port; hosts are added with {@link #addHost}. */
    public static SimulatedHosts start(Options options) {
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
        return addHost(hostname, user, newHostKey());
    }

    /**
     * Adds a host with a given host key: the key an instance's user-data installs (see {@link CloudInitHostKey}), as
     * cloud-init would at first boot.
     */
    public SimulatedHost addHost(String hostname, String user, KeyPair hostKey) {
        String address = nextFreeAddress();
        SimulatedHost host = new SimulatedHost(this, address, hostname, user, hostKey);
        hostsByAddress.put(address, host);
        if (options.sshdStartDelay().isZero()) {
            bind(host);
        } else {
            // Booting: nothing listens on the host's address yet, so a connection is refused, as on EC2.
            booting.schedule(() -> {
                if (hostsByAddress.get(address) == host) {
                    bind(host);
                }
            }, options.sshdStartDelay().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        stateChanged();
        return host;
    }

    private void bind(SimulatedHost host) {
        try {
            server.bindMore(new InetSocketAddress(host.address(), port));
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
        String address = nextFreeAddress();
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

    /** The next loopback address whose API port nobody else (another sandbox on this machine) holds. */
    private String nextFreeAddress() {
        for (int attempt = 0; ; attempt++) {
            int n = nextAddress.getAndIncrement();
            String address = "127." + (n / 62_250) + "." + (1 + (n / 250) % 249) + "." + (1 + n % 250);
            if (attempt >= 1_000 || apiPortFree(address)) {
                return address;
            }
        }
    }

    private boolean apiPortFree(String address) {
        return portFree(address, options.apiPort());
    }

    private static boolean portFree(String address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
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
        return (int) clusters.values().stream().filter(SimulatedCluster::apiStarted).count();
    }

    /** Stops a cluster's API and forgets it, e.g. after its infrastructure was destroyed. */
    public void release(SimulatedCluster cluster) {
        clusters.remove(cluster.id());
        tokens.forget(cluster);
        cluster.close();
        stateChanged();
    }

    /** Removes hosts (terminated instances); their addresses are not reused. */
    public void removeHost(SimulatedHost host) {
        hostsByAddress.remove(host.address());
        // Unbinding one address closes only that listening socket; other hosts keep theirs.
        server.getBoundAddresses().stream()
                .filter(a -> address(a).equals(host.address()))
                .findFirst()
                .ifPresent(server::unbindOne);
        stateChanged();
    }

    /**
     * Makes {@code host} refuse new SSH connections (its listening socket is closed; sessions already open go on),
     * like a node whose sshd is down, until {@link #acceptConnections}. For fault tests.
     */
    public void refuseConnections(SimulatedHost host) {
        server.getBoundAddresses().stream()
                .filter(a -> address(a).equals(host.address()))
                .findFirst()
                .ifPresent(server::unbindOne);
    }

    /** Lets {@code host} accept SSH connections again after {@link #refuseConnections}; a removed host stays gone. */
    public void acceptConnections(SimulatedHost host) {
        if (hostsByAddress.get(host.address()) != host
                || server.getBoundAddresses().stream().anyMatch(a -> address(a).equals(host.address()))) {
            return;
        }
        try {
            server.bindMore(new InetSocketAddress(host.address(), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host.address() + ":" + port + " again", e);
        }
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
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

    SimulatedCluster newCluster(String apiAddress, String clusterConfig) {
        SimulatedCluster cluster = new SimulatedCluster("cluster-" + nextCluster.incrementAndGet(), apiAddress,
                options.apiPort(), clusterConfig, apis, this::network);
        clusters.put(cluster.id(), cluster);
        stateChanged();
        return cluster;
    }

    String issueToken(SimulatedCluster cluster, String role, Duration expiry) {
        String joinAddress = K0sConfigCheck.joinAddress(cluster.clusterConfig()).orElse(cluster.apiHost());
        String token = tokens.issue(cluster, role, expiry, "https://" + joinAddress + ":"
                + (role.equals("controller") ? 9443 : options.apiPort()), java.time.Instant.now());
        stateChanged();
        return token;
    }

    /** Every join token the simulated controllers issued, so tests can check none leaked into logs or events. */
    public List<String> issuedTokens() {
        return tokens.issued();
    }

    /** The issued join tokens that could still be used to join now (neither expired nor invalidated). */
    public List<String> usableTokens() {
        return tokens.usable(java.time.Instant.now());
    }

    JoinTokens.Result redeemToken(String token, String role) {
        return tokens.redeem(token, role, java.time.Instant.now());
    }

    boolean invalidateToken(SimulatedCluster cluster, String id) {
        boolean found = tokens.invalidate(cluster, id);
        stateChanged();
        return found;
    }

    String adminKubeconfig(SimulatedCluster cluster, String controllerAddress) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: local\n"
                + "  cluster:\n"
                + "    server: http://" + controllerAddress + ":" + options.apiPort() + "\n"
                + "contexts:\n"
                + "- name: Default\n"
                + "  context:\n"
                + "    cluster: local\n"
                + "    user: admin\n"
                + "current-context: Default\n"
                + "users:\n"
                + "- name: admin\n"
                + "  user:\n"
                + "    token: " + HexFormat.of().formatHex(secret) + "\n";
    }

    private static boolean isLoopback(String host) {
        try {
            // Only literal addresses: a name would need a lookup, and nothing in the sandbox uses names.
            return host.matches("[0-9.]+") && java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static KeyPair hostKey(String privateKey, String publicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a saved host key cannot be read", e);
        }
    }

    static KeyPair generateHostKey() {
        return newHostKey();
    }

    private static KeyPair newHostKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate EC keys", e);
        }
    }

    @Override
    public void close() {
        booting.shutdownNow();
        if (saver != null) {
            // Before the APIs stop: the final snapshot reads what they hold.
            try {
                saver.close();
            } catch (RuntimeException e) {
                LOG.warn("could not save the simulated hosts on close", e);
            }
        }
        clusters.values().forEach(SimulatedCluster::close);
        clusters.clear();
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            commands.shutdownNow();
            apis.close();
        }
    }

    /** Each host presents its own key: the one of the address the client connected to. */
    private final class PerHostKeys implements KeyPairProvider {

        private final KeyPair fallback = newHostKey();

        @Override
        public Iterable<KeyPair> loadKeys(SessionContext session) {
            if (session == null) {
                return List.of(fallback);
            }
            SimulatedHost host = hostsByAddress.get(address(session.getLocalAddress()));
            return List.of(host == null ? fallback : host.hostKey());
        }
    }

    /** One exec request: interpreted by the host on the shared executor, never on an NIO thread. */
    private final class HostCommand implements Command {

        private final String line;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        HostCommand(String line) {
            this.line = line;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            SimulatedHost host = hostsByAddress.get(address(channel.getSession().getLocalAddress()));
            commands.execute(() -> {
                int status = 255;
                try {
                    if (host == null) {
                        err.write("no simulated host at this address\n".getBytes(StandardCharsets.UTF_8));
                    } else {
                        SimulatedHost.Result result = host.execute(line, in);
                        out.write(result.stdout().getBytes(StandardCharsets.UTF_8));
                        err.write(result.stderr().getBytes(StandardCharsets.UTF_8));
                        status = result.exitStatus();
                    }
                    out.flush();
                    err.flush();
                } catch (IOException | RuntimeException e) {
                    status = 255;
                } finally {
                    // Whatever happened, the client must get an exit status instead of waiting for its timeout.
                    exit.onExit(status);
                }
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Commands are short and in memory; there is nothing to interrupt.
        }
    }
}
