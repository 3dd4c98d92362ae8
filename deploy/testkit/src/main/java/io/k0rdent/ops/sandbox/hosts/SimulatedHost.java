package io.k0rdent.ops.sandbox.hosts;

import java.io.InputStream;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One simulated machine: an address on the loopback network, a host key, a tiny in-memory file
 * system, and what a test sets or reads of it. Its {@link HostShell} interprets exactly the commands an installer
 * sends over SSH ({@code uname -m}, {@code cat}, {@code hostname}, {@code curl -o}, {@code install /dev/stdin}, ...),
 * its {@link SimulatedK0s} the {@code k0s} ones
 * ({@code k0s install|start|stop|status|token create|kubeconfig admin|kubectl get --raw=/readyz}, ...).
 *
 * <p>State changes are serialized per host ({@code synchronized}, which the shell and k0s share); hosts are
 * independent of each other.
 */
public final class SimulatedHost {

    private final SimulatedHosts owner;
    private final String address;
    private final String hostname;
    private final String user;
    private volatile KeyPair hostKey;
    private final Map<String, byte[]> files = new HashMap<>();
    private final SimulatedK0s k0s;
    private final HostShell shell;
    private final List<CommandRecord> log = new CopyOnWriteArrayList<>();
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    private String machine = "x86_64";
    private String osRelease = "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";
    private boolean kubeletReady = true;
    /** The address of the host's network interface in its VPC, when known; k0s may bind to it and to {@link #address}. */
    private volatile String privateAddress;

    SimulatedHost(SimulatedHosts owner, String address, String hostname, String user, KeyPair hostKey) {
        this.owner = owner;
        this.address = address;
        this.hostname = hostname;
        this.user = user;
        this.hostKey = hostKey;
        this.k0s = new SimulatedK0s(this, owner, files);
        this.shell = new HostShell(this, owner, files, k0s);
    }

    public String address() {
        return address;
    }

    public String hostname() {
        return hostname;
    }

    /** The login name the host accepts. */
    public String user() {
        return user;
    }

    KeyPair hostKey() {
        return hostKey;
    }

    /** The public host key, e.g. for a known_hosts line. */
    public java.security.PublicKey hostPublicKey() {
        return hostKey.getPublic();
    }

    /** The host key's fingerprint in OpenSSH form ({@code SHA256:...}), as a provisioner would report it. */
    public String hostKeyFingerprint() {
        return HostKeys.fingerprint(hostKey.getPublic());
    }

    /**
     * A fault: the host's key changes, as when someone regenerates the host keys on a running instance. A client that
     * pinned the old key must refuse it.
     */
    public synchronized SimulatedHost rotateHostKey() {
        this.hostKey = HostKeys.generate();
        owner.stateChanged();
        return this;
    }

    /**
     * Gives the host its VPC address (an EC2 instance's private IP). With it, the simulated k0s refuses to bind the
     * API or etcd to any address that is not the host's own.
     */
    public SimulatedHost privateAddress(String vpcAddress) {
        this.privateAddress = vpcAddress;
        return this;
    }

    /** Makes the machine report another {@code uname -m}. */
    public synchronized SimulatedHost machine(String unameMachine) {
        this.machine = unameMachine;
        owner.stateChanged();
        return this;
    }

    /** Whether this host's Node reports Ready once its kubelet starts (default true). */
    public synchronized SimulatedHost kubeletReady(boolean ready) {
        this.kubeletReady = ready;
        owner.stateChanged();
        return this;
    }

    /** Injects a failure for the next matching commands. */
    public synchronized SimulatedHost fail(Fault fault) {
        shell.addFault(fault);
        return this;
    }

    /** Every command this host received, in order. */
    public List<CommandRecord> commands() {
        return List.copyOf(log);
    }

    /** Hostnames of this host's Node as it was when k0s stopped: whether it had been cordoned first. */
    public List<String> cordonedAtStop() {
        return k0s.cordonedAtStop();
    }

    /** {@code host:port} targets this host forwarded connections to, as a bastion. */
    public List<String> tunnels() {
        return List.copyOf(tunnels);
    }

    void recordTunnel(String target) {
        tunnels.add(target);
    }

    /** Whether this controller left etcd ({@code k0s etcd leave}). */
    public synchronized boolean leftEtcd() {
        return k0s.leftEtcd();
    }

    public synchronized boolean running() {
        return k0s.running();
    }

    /** The k0s version the installed binary reports, if any. */
    public synchronized Optional<String> k0sVersion() {
        return k0s.version();
    }

    public synchronized Optional<SimulatedCluster> cluster() {
        return k0s.cluster();
    }

    /** A file's content, for tests. */
    public synchronized Optional<byte[]> file(String path) {
        return Optional.ofNullable(files.get(path)).map(byte[]::clone);
    }

    /** What {@code uname -m} prints. */
    synchronized String machineName() {
        return machine;
    }

    /** What {@code cat /etc/os-release} prints. */
    synchronized String osRelease() {
        return osRelease;
    }

    /** Whether this host's Node reports Ready when its kubelet starts. */
    synchronized boolean kubeletWillBeReady() {
        return kubeletReady;
    }

    /** The host's VPC address, or {@code null} when not known. */
    String vpcAddress() {
        return privateAddress;
    }

    /** Runs a command line; reads standard input only when a command needs it. */
    CommandResult execute(String line, InputStream stdin) {
        CommandResult result = shell.execute(line, stdin);
        log.add(new CommandRecord(owner.nextSequence(), address, line, result.exitStatus()));
        // Files, k0s state or the cluster may have changed; the owner saves (debounced) when it is durable.
        owner.stateChanged();
        return result;
    }

    /** This host's state for {@link HostsSnapshot}. */
    synchronized HostsSnapshot.HostData snapshot() {
        Map<String, String> encoded = new java.util.TreeMap<>();
        files.forEach((path, content) -> encoded.put(path, Base64.getEncoder().encodeToString(content)));
        Base64.Encoder base64 = Base64.getEncoder();
        // The k0s fields are filled in by k0s itself.
        return k0s.snapshot(new HostsSnapshot.HostData(address, hostname, user,
                base64.encodeToString(hostKey.getPrivate().getEncoded()),
                base64.encodeToString(hostKey.getPublic().getEncoded()), encoded, machine, osRelease, kubeletReady,
                null, false, false, false, null, List.of(), null));
    }

    /** Takes over a snapshot's files and k0s state; {@code restoredCluster} is the cluster it names, if any. */
    synchronized void restore(HostsSnapshot.HostData data, SimulatedCluster restoredCluster) {
        files.clear();
        data.files().forEach((path, content) -> files.put(path, Base64.getDecoder().decode(content)));
        machine = data.machine();
        osRelease = data.osRelease();
        kubeletReady = data.kubeletReady();
        k0s.restore(data, restoredCluster);
    }

    /** Tries a pending join again; answers whether nothing is pending any more (joined, or k0s stopped). */
    synchronized boolean retryJoin() {
        return k0s.retryJoin();
    }

    /** Why this node has not joined its cluster yet (the network drops what it dials), if it is still trying. */
    public synchronized Optional<String> joinWaitingFor() {
        return k0s.joinWaitingFor();
    }

    /** Whether this host's k0s serves the Kubernetes API now: a running controller whose control plane is up. */
    public synchronized boolean servesApi() {
        return k0s.servesApi();
    }

    /**
     * The names and addresses this controller's API serving certificate covers (see {@link ApiCertificateNames}),
     * issued when its k0s last started; empty while it does not run as a controller.
     */
    public synchronized Set<String> apiCertificateNames() {
        return k0s.apiCertificateNames();
    }

    /** Hosts report errors with their full command history, which makes failing tests readable. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        log.forEach(r -> lines.add(r.sequence() + " [" + r.exitStatus() + "] " + r.line()));
        return hostname + "@" + address + " " + String.join("\n  ", Collections.unmodifiableList(lines));
    }
}
