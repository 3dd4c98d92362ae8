package io.k0rdent.ops.sandbox.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated machine: an address on the loopback network, a host key, a tiny in-memory file
 * system and a simulated {@code k0s} that interprets exactly the commands an installer sends over SSH
 * ({@code uname -m}, {@code cat}, {@code hostname}, {@code curl -o}, {@code install /dev/stdin},
 * {@code k0s install|start|stop|status|token create|kubeconfig admin|kubectl get --raw=/readyz}, ...).
 *
 * <p>State changes are serialized per host ({@code synchronized}); hosts are independent of each other.
 */
public final class SimulatedHost {

    static final String BINARY_MARKER = "SIMULATED-K0S ";
    private static final Pattern DOWNLOAD = Pattern.compile(".*/k0s-v([0-9]+\\.[0-9]+\\.[0-9]+\\+k0s\\.[0-9]+)-(amd64|arm64|arm)$");

    private final SimulatedHosts owner;
    private final String address;
    private final String hostname;
    private final String user;
    private volatile KeyPair hostKey;
    private final Map<String, byte[]> files = new HashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<CommandRecord> log = new CopyOnWriteArrayList<>();
    private final List<String> cordonedAtStop = new CopyOnWriteArrayList<>();
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    private String machine = "x86_64";
    private String osRelease = "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";
    private boolean kubeletReady = true;
    private String serviceRole;
    private boolean enableWorker;
    private boolean running;
    /** The address of the host's network interface in its VPC, when known; k0s may bind to it and to {@link #address}. */
    private volatile String privateAddress;
    /** Why this controller's control plane cannot come up (see {@link K0sConfigCheck}), or {@code null}. */
    private String controlPlaneProblem;
    private boolean leftEtcd;
    private SimulatedCluster cluster;
    /** Whether k0s was installed with a join token (so {@code k0s start} dials the cluster it joins). */
    private boolean joinedByToken;
    /** Why this node's components refuse the version k0s last started with (version skew), or {@code null}. */
    private String versionProblem;
    /** The configuration file k0s was installed with; k0s reads it at every start. */
    private String configPath;
    private static final String DEFAULT_CONFIG = "/etc/k0s/k0s.yaml";
    /**
     * The configuration a controller's k0s last started with: its API serving certificate was issued from it, so a
     * file changed since does not change the certificate until k0s restarts. {@code null} until a controller starts.
     */
    private String startedConfig;
    /** The version a started node that could not reach its cluster yet will join with, while it keeps trying. */
    private String joinPending;
    private String joinWaitingFor;

    SimulatedHost(SimulatedHosts owner, String address, String hostname, String user, KeyPair hostKey) {
        this.owner = owner;
        this.address = address;
        this.hostname = hostname;
        this.user = user;
        this.hostKey = hostKey;
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
        return SimulatedHosts.fingerprint(hostKey.getPublic());
    }

    /**
     * A fault: the host's key changes, as when someone regenerates the host keys on a running instance. A client that
     * pinned the old key must refuse it.
     */
    public synchronized SimulatedHost rotateHostKey() {
        this.hostKey = SimulatedHosts.generateHostKey();
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
        faults.add(fault);
        return this;
    }

    /** Every command this host received, in order. */
    public List<CommandRecord> commands() {
        return List.copyOf(log);
    }

    /** Hostnames of this host's Node as it was when k0s stopped: whether it had been cordoned first. */
    public List<String> cordonedAtStop() {
        return List.copyOf(cordonedAtStop);
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
        return leftEtcd;
    }

    public synchronized boolean running() {
        return running;
    }

    /** The k0s version the installed binary reports, if any. */
    public synchronized Optional<String> k0sVersion() {
        return binaryVersion();
    }

    public synchronized Optional<SimulatedCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** A file's content, for tests. */
    public synchronized Optional<byte[]> file(String path) {
        return Optional.ofNullable(files.get(path)).map(byte[]::clone);
    }

    /** Result of one command line. */
    record Result(int exitStatus, String stdout, String stderr) {

        static Result ok(String stdout) {
            return new Result(0, stdout, "");
        }

        static Result error(int status, String stderr) {
            return new Result(status, "", stderr);
        }
    }

    /** Runs a command line; reads standard input only when a command needs it. */
    Result execute(String line, InputStream stdin) {
        Result result;
        try {
            List<List<String>> commands = ShellWords.parse(line);
            result = Result.ok("");
            StringBuilder out = new StringBuilder();
            for (List<String> argv : commands) {
                List<String> args = argv;
                if (args.size() >= 2 && args.get(0).equals("sudo") && args.get(1).equals("-n")) {
                    args = args.subList(2, args.size());
                }
                result = step(args, stdin);
                out.append(result.stdout());
                if (result.exitStatus() != 0) {
                    break;
                }
            }
            result = new Result(result.exitStatus(), out.toString(), result.stderr());
        } catch (ShellWords.UnsupportedSyntaxException e) {
            result = Result.error(2, "sh: the simulated shell refuses this line: " + e.getMessage() + "\n");
        }
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
        return new HostsSnapshot.HostData(address, hostname, user,
                base64.encodeToString(hostKey.getPrivate().getEncoded()),
                base64.encodeToString(hostKey.getPublic().getEncoded()), encoded, machine, osRelease, kubeletReady,
                serviceRole, enableWorker, running, leftEtcd, cluster == null ? null : cluster.id(),
                List.copyOf(cordonedAtStop), startedConfig);
    }

    /** Takes over a snapshot's files and k0s state; {@code restoredCluster} is the cluster it names, if any. */
    synchronized void restore(HostsSnapshot.HostData data, SimulatedCluster restoredCluster) {
        files.clear();
        data.files().forEach((path, content) -> files.put(path, Base64.getDecoder().decode(content)));
        machine = data.machine();
        osRelease = data.osRelease();
        kubeletReady = data.kubeletReady();
        serviceRole = data.serviceRole();
        enableWorker = data.enableWorker();
        running = data.running();
        leftEtcd = data.leftEtcd();
        cluster = restoredCluster;
        cordonedAtStop.addAll(data.cordonedAtStop());
        startedConfig = data.startedConfig();
        if (startedConfig == null && running && isController()) {
            // A snapshot from before the started configuration was kept: the file is the best guess of what it was.
            startedConfig = configFileText();
        }
    }

    private synchronized Result step(List<String> argv, InputStream stdin) {
        if (argv.isEmpty()) {
            return Result.error(2, "sh: empty command\n");
        }
        Optional<Result> injected = injectedFault(argv);
        if (injected.isPresent()) {
            return injected.get();
        }
        String program = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        return switch (program) {
            case "uname" -> args.equals(List.of("-m")) ? Result.ok(machine + "\n") : Result.error(1, "uname: unsupported\n");
            case "hostname" -> args.isEmpty() ? Result.ok(hostname + "\n") : Result.error(1, "hostname: read-only\n");
            case "cat" -> cat(args);
            case "curl" -> curl(args);
            case "chmod" -> args.size() == 2 && files.containsKey(args.get(1)) ? Result.ok("")
                    : Result.error(1, "chmod: cannot access '" + last(args) + "': No such file or directory\n");
            case "mv" -> move(args);
            case "install" -> install(args, stdin);
            case "rm" -> {
                files.remove(last(args));
                yield Result.ok("");
            }
            case "k0s" -> k0s(args);
            default -> Result.error(127, "sh: 1: " + program + ": not found\n");
        };
    }

    private Optional<Result> injectedFault(List<String> argv) {
        String joined = String.join(" ", argv);
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (joined.startsWith(fault.prefix())) {
                it.remove();
                if (fault.times() > 1) {
                    faults.add(new Fault(fault.prefix(), fault.exitStatus(), fault.stderr(), fault.times() - 1));
                }
                return Optional.of(Result.error(fault.exitStatus(), fault.stderr()));
            }
        }
        return Optional.empty();
    }

    private static String last(List<String> args) {
        return args.isEmpty() ? "" : args.get(args.size() - 1);
    }

    private Result cat(List<String> args) {
        if (args.size() != 1) {
            return Result.error(1, "cat: one file only\n");
        }
        if (args.get(0).equals("/etc/os-release")) {
            return Result.ok(osRelease);
        }
        byte[] content = files.get(args.get(0));
        return content == null ? Result.error(1, "cat: " + args.get(0) + ": No such file or directory\n")
                : Result.ok(new String(content, StandardCharsets.UTF_8));
    }

    private Result curl(List<String> args) {
        int o = args.indexOf("-o");
        if (o < 0 || o + 1 >= args.size()) {
            return Result.error(2, "curl: the simulation only supports -o FILE URL\n");
        }
        String url = last(args);
        if (url.startsWith(SimulatedHosts.DOWNLOAD_BASE)) {
            // GitHub is on the internet: a node gets there through an internet gateway with a public address, or a
            // NAT gateway; without a way out the connection is never answered.
            Optional<String> blocked = owner.network().internetBlocked(hostname);
            if (blocked.isPresent()) {
                return Result.error(28, "curl: (28) Failed to connect to github.com port 443 after 130000 ms: "
                        + "Connection timed out\n");
            }
        }
        Matcher m = DOWNLOAD.matcher(url);
        if (!m.matches() || !url.startsWith(owner.downloadBase())) {
            return Result.error(22, "curl: (22) The requested URL returned error: 404\n");
        }
        files.put(args.get(o + 1), (BINARY_MARKER + m.group(1) + " " + m.group(2)).getBytes(StandardCharsets.UTF_8));
        return Result.ok("");
    }

    private Result move(List<String> args) {
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (paths.size() != 2 || !files.containsKey(paths.get(0))) {
            return Result.error(1, "mv: cannot stat: No such file or directory\n");
        }
        files.put(paths.get(1), files.remove(paths.get(0)));
        return Result.ok("");
    }

    private Result install(List<String> args, InputStream stdin) {
        if (args.size() != 5 || !args.get(0).equals("-D") || !args.get(1).equals("-m") || !args.get(3).equals("/dev/stdin")) {
            return Result.error(1, "install: the simulation only supports -D -m MODE /dev/stdin FILE\n");
        }
        files.put(args.get(4), readAll(stdin));
        return Result.ok("");
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> binaryVersion() {
        byte[] binary = files.get(owner.binaryPath());
        if (binary == null) {
            return Optional.empty();
        }
        String text = new String(binary, StandardCharsets.UTF_8);
        return text.startsWith(BINARY_MARKER) ? Optional.of(text.substring(BINARY_MARKER.length()).split(" ")[0]) : Optional.empty();
    }

    private Result k0s(List<String> args) {
        Optional<String> version = binaryVersion();
        if (version.isEmpty()) {
            return Result.error(127, "sh: 1: k0s: not found\n");
        }
        String command = String.join(" ", args);
        if (command.equals("version")) {
            return Result.ok("v" + version.get() + "\n");
        }
        if (command.equals("status")) {
            return running
                    ? Result.ok("Version: v" + version.get() + "\nProcess ID: 4242\nRole: " + serviceRole + "\n")
                    : Result.error(1, "Error: k0s not running\n");
        }
        if (args.size() >= 2 && args.get(0).equals("config") && args.get(1).equals("validate")) {
            return configValidate(args.subList(2, args.size()));
        }
        if (args.size() >= 2 && args.get(0).equals("install")) {
            return k0sInstall(args.get(1), args.subList(2, args.size()));
        }
        if (command.equals("start")) {
            return k0sStart(version.get());
        }
        if (command.equals("stop")) {
            return k0sStop();
        }
        if (command.equals("kubectl get --raw=/readyz")) {
            return isController() && running && cluster != null && cluster.apiStarted() && controlPlaneProblem == null
                    && joinPending == null && versionProblem == null ? Result.ok("ok") : Result.error(1, "The connection to the server localhost:8080 was refused\n");
        }
        if (args.size() >= 2 && args.get(0).equals("token") && args.get(1).equals("create")) {
            return tokenCreate(args.subList(2, args.size()));
        }
        if (args.size() >= 2 && args.get(0).equals("token") && args.get(1).equals("invalidate")) {
            return tokenInvalidate(args.subList(2, args.size()));
        }
        if (command.equals("etcd leave")) {
            if (!isController() || !running || cluster == null) {
                return Result.error(1, "Error: etcd leave needs a running controller\n");
            }
            leftEtcd = true;
            return Result.ok("");
        }
        if (command.equals("kubeconfig admin")) {
            if (!isController() || !running || cluster == null) {
                return Result.error(1, "Error: k0s is not running as a controller\n");
            }
            return Result.ok(owner.adminKubeconfig(cluster, address));
        }
        return Result.error(1, "Error: unknown command \"" + command + "\" for \"k0s\"\n");
    }

    /** {@code k0s config validate --config FILE} ({@code -c FILE}, {@code --config=FILE}). */
    private Result configValidate(List<String> flags) {
        String path = null;
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            if ((flag.equals("--config") || flag.equals("-c")) && i + 1 < flags.size()) {
                path = flags.get(++i);
            } else if (flag.startsWith("--config=")) {
                path = flag.substring("--config=".length());
            } else {
                return Result.error(1, "Error: unknown flag: " + flag + "\n");
            }
        }
        if (path == null) {
            return Result.error(1, "Error: no config given (--config)\n");
        }
        byte[] config = files.get(path);
        if (config == null) {
            return Result.error(1, "Error: open " + path + ": no such file or directory\n");
        }
        return K0sConfigCheck.validate(config).map(problem -> Result.error(1, "Error: " + problem + "\n"))
                .orElse(Result.ok(""));
    }

    /** {@code k0s token create [--role=ROLE] [--expiry=DURATION]}, flags as k0s reads them ({@code --f=v} or {@code --f v}). */
    private Result tokenCreate(List<String> flags) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("--role", "worker", "--expiry", "0s"));
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (!values.containsKey(name)) {
                return Result.error(1, "Error: unknown flag: " + name + "\n");
            }
            if (flag.contains("=")) {
                values.put(name, flag.substring(flag.indexOf('=') + 1));
            } else if (i + 1 < flags.size()) {
                values.put(name, flags.get(++i));
            } else {
                return Result.error(1, "Error: flag needs an argument: " + name + "\n");
            }
        }
        String role = values.get("--role");
        if (!role.equals("worker") && !role.equals("controller")) {
            return Result.error(1, "Error: unsupported role \"" + role + "\"; supported roles are \"controller\" and \"worker\"\n");
        }
        Optional<java.time.Duration> expiry = JoinTokens.parseExpiry(values.get("--expiry"));
        if (expiry.isEmpty()) {
            return Result.error(1, "Error: invalid argument \"" + values.get("--expiry") + "\" for \"--expiry\" flag\n");
        }
        if (!isController() || !running || cluster == null) {
            return Result.error(1, "Error: failed to create token: k0s is not running as a controller\n");
        }
        return Result.ok(owner.issueToken(cluster, role, expiry.get()) + "\n");
    }

    /** {@code k0s token invalidate ID...}: the bootstrap tokens of this controller's cluster with those ids. */
    private Result tokenInvalidate(List<String> ids) {
        if (ids.isEmpty()) {
            return Result.error(1, "Error: invalidate requires at least one token ID\n");
        }
        if (!isController() || !running || cluster == null) {
            return Result.error(1, "Error: failed to invalidate token: k0s is not running as a controller\n");
        }
        for (String id : ids) {
            if (!owner.invalidateToken(cluster, id)) {
                return Result.error(1, "Error: failed to invalidate token " + id + ": not found\n");
            }
        }
        return Result.ok("token " + String.join(", ", ids) + " deleted successfully\n");
    }

    private boolean isController() {
        return "controller".equals(serviceRole);
    }

    private Result k0sInstall(String role, List<String> flags) {
        if (!role.equals("controller") && !role.equals("worker")) {
            return Result.error(1, "Error: unknown role " + role + "\n");
        }
        if (serviceRole != null && !flags.contains("--force")) {
            return Result.error(1, "Error: failed to install k0s service: init already exists: /etc/systemd/system/k0s"
                    + role + ".service\n");
        }
        SimulatedCluster joined = null;
        int tokenFile = flags.indexOf("--token-file");
        if (tokenFile >= 0) {
            byte[] token = tokenFile + 1 < flags.size() ? files.get(flags.get(tokenFile + 1)) : null;
            if (token == null) {
                return Result.error(1, "Error: failed to read token file: no such file\n");
            }
            JoinTokens.Result target = owner.redeemToken(new String(token, StandardCharsets.UTF_8).strip(), role);
            if (target.cluster() == null) {
                return Result.error(1, "Error: failed to join: " + target.refusal() + "\n");
            }
            joined = target.cluster();
        } else if (role.equals("worker")) {
            return Result.error(1, "Error: a worker needs --token-file\n");
        }
        int config = flags.indexOf("--config");
        if (role.equals("controller") && joined == null) {
            byte[] clusterConfig = config >= 0 && config + 1 < flags.size() ? files.get(flags.get(config + 1)) : null;
            if (clusterConfig == null) {
                return Result.error(1, "Error: failed to read the cluster config\n");
            }
            joined = owner.newCluster(address, new String(clusterConfig, StandardCharsets.UTF_8));
        }
        serviceRole = role;
        enableWorker = role.equals("worker") || flags.contains("--enable-worker");
        joinedByToken = tokenFile >= 0;
        cluster = joined;
        configPath = config >= 0 && config + 1 < flags.size() ? flags.get(config + 1) : null;
        byte[] configFile = config >= 0 && config + 1 < flags.size() ? files.get(flags.get(config + 1)) : null;
        controlPlaneProblem = role.equals("controller") && configFile != null && privateAddress != null
                ? K0sConfigCheck.problem(configFile, java.util.Set.of(privateAddress, address)).orElse(null) : null;
        return Result.ok("");
    }

    private Result k0sStart(String version) {
        if (serviceRole == null) {
            return Result.error(1, "Error: k0s is not installed as a service\n");
        }
        running = true;
        if (isController()) {
            startedConfig = configFileText();
        }
        // A node that joins dials its controllers (k0s docs, "Required ports and protocols"): a worker the API (6443)
        // and konnectivity (8132) at the join address, a controller the join API (9443) there and etcd (2380) at the
        // first controller's peer address. What the network drops never joins: the service runs, its components wait.
        Optional<String> unreachable = joinedByToken && cluster != null ? joinProblem() : Optional.empty();
        if (unreachable.isPresent()) {
            // k0s keeps trying, as the real one does while a load balancer's targets are still initial.
            joinPending = version;
            joinWaitingFor = unreachable.get();
            owner.retryJoin(this);
            return Result.ok("");
        }
        joined(version);
        return Result.ok("");
    }

    private void joined(String version) {
        if (cluster != null) {
            Optional<String> skew = cluster.versionSkew(hostname, serviceRole, version);
            if (skew.isPresent()) {
                // The service runs; its components refuse the version (the API never gets ready, or the node
                // registers NotReady).
                versionProblem = skew.get();
                if (isController()) {
                    return;
                }
                if (enableWorker) {
                    cluster.kubeletStarted(hostname, version, false);
                }
                return;
            }
        }
        versionProblem = null;
        if (isController() && cluster != null) {
            cluster.controllerStarted(hostname, version);
            cluster.startApi();
            if (files.containsKey(configFilePath())) {
                cluster.applyExtensions(configFileText());
            }
        }
        if (enableWorker && cluster != null) {
            cluster.kubeletStarted(hostname, version, kubeletReady);
        }
    }

    /** Where k0s reads its configuration at start: the file it was installed with, else k0s's default. */
    private String configFilePath() {
        return configPath == null ? DEFAULT_CONFIG : configPath;
    }

    /** The configuration file's text, empty when there is none (k0s then runs on its defaults). */
    private String configFileText() {
        byte[] config = files.get(configFilePath());
        return config == null ? "" : new String(config, StandardCharsets.UTF_8);
    }

    /** Tries a pending join again; answers whether nothing is pending any more (joined, or k0s stopped). */
    synchronized boolean retryJoin() {
        if (joinPending == null || !running || cluster == null) {
            joinPending = null;
            return true;
        }
        Optional<String> unreachable = joinProblem();
        if (unreachable.isPresent()) {
            joinWaitingFor = unreachable.get();
            return false;
        }
        String version = joinPending;
        joinPending = null;
        joinWaitingFor = null;
        joined(version);
        owner.stateChanged();
        return true;
    }

    /** Why this node has not joined its cluster yet (the network drops what it dials), if it is still trying. */
    public synchronized Optional<String> joinWaitingFor() {
        return Optional.ofNullable(joinPending == null ? null : joinWaitingFor);
    }

    private Optional<String> joinProblem() {
        String joinAddress = K0sConfigCheck.joinAddress(cluster.clusterConfig()).orElse(cluster.apiHost());
        if (isController()) {
            Optional<String> blocked = owner.network().blocked(hostname, joinAddress, "tcp", 9443);
            if (blocked.isPresent()) {
                return Optional.of("k0s join API " + joinAddress + ":9443 unreachable: " + blocked.get());
            }
            Optional<String> peer = K0sConfigCheck.peerAddress(cluster.clusterConfig());
            if (peer.isPresent()) {
                blocked = owner.network().blocked(hostname, peer.get(), "tcp", 2380);
                if (blocked.isPresent()) {
                    return Optional.of("etcd peer " + peer.get() + ":2380 unreachable: " + blocked.get());
                }
            }
            return Optional.empty();
        }
        for (int port : new int[] {6443, 8132}) {
            Optional<String> blocked = owner.network().blocked(hostname, joinAddress, "tcp", port);
            if (blocked.isPresent()) {
                return Optional.of(joinAddress + ":" + port + " unreachable: " + blocked.get());
            }
        }
        return Optional.empty();
    }

    private Result k0sStop() {
        if (enableWorker && cluster != null) {
            cordonedAtStop.add(hostname + (cluster.cordoned(hostname) ? ":cordoned" : ":schedulable"));
            cluster.kubeletStopped(hostname);
        }
        running = false;
        return Result.ok("");
    }

    /** Whether this host's k0s serves the Kubernetes API now: a running controller whose control plane is up. */
    public synchronized boolean servesApi() {
        return running && "controller".equals(serviceRole) && controlPlaneProblem == null && joinPending == null
                && versionProblem == null && cluster != null;
    }

    /**
     * The names and addresses this controller's API serving certificate covers (see {@link ApiCertificateNames}),
     * issued when its k0s last started; empty while it does not run as a controller.
     */
    public synchronized Set<String> apiCertificateNames() {
        if (!running || !isController() || startedConfig == null) {
            return Set.of();
        }
        Set<String> own = new java.util.HashSet<>(Set.of(address));
        if (privateAddress != null) {
            own.add(privateAddress);
        }
        return ApiCertificateNames.of(startedConfig, own);
    }

    /** Hosts report errors with their full command history, which makes failing tests readable. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        log.forEach(r -> lines.add(r.sequence() + " [" + r.exitStatus() + "] " + r.line()));
        return hostname + "@" + address + " " + String.join("\n  ", Collections.unmodifiableList(lines));
    }
}
