package io.k0rdent.ops.sandbox.hosts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The k0s of one {@link SimulatedHost}: its service state (installed role, running, the cluster it belongs to, a
 * pending join) and the {@code k0s} subcommands an installer sends ({@code install}, {@code start}, {@code stop},
 * {@code status}, {@code token create|invalidate}, {@code kubeconfig admin}, {@code etcd leave}, ...).
 *
 * <p>Guarded by its host's lock: only the host's synchronized methods and its {@link HostShell} call it.
 */
final class SimulatedK0s {

    private static final String DEFAULT_CONFIG = "/etc/k0s/k0s.yaml";

    private final SimulatedHost host;
    private final SimulatedHosts owner;
    private final Map<String, byte[]> files;
    private final List<String> cordonedAtStop = new CopyOnWriteArrayList<>();
    private String serviceRole;
    private boolean enableWorker;
    private boolean running;
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
    /**
     * The configuration a controller's k0s last started with: its API serving certificate was issued from it, so a
     * file changed since does not change the certificate until k0s restarts. {@code null} until a controller starts.
     */
    private String startedConfig;
    /** The version a started node that could not reach its cluster yet will join with, while it keeps trying. */
    private String joinPending;
    private String joinWaitingFor;

    SimulatedK0s(SimulatedHost host, SimulatedHosts owner, Map<String, byte[]> files) {
        this.host = host;
        this.owner = owner;
        this.files = files;
    }

    /** Hostnames of this host's Node as it was when k0s stopped: whether it had been cordoned first. */
    List<String> cordonedAtStop() {
        return List.copyOf(cordonedAtStop);
    }

    boolean leftEtcd() {
        return leftEtcd;
    }

    boolean running() {
        return running;
    }

    Optional<SimulatedCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** The k0s version the installed binary reports, if any. */
    Optional<String> version() {
        return binaryVersion();
    }

    /** Fills this k0s's part of a host snapshot. */
    HostsSnapshot.HostData snapshot(HostsSnapshot.HostData hostPart) {
        return new HostsSnapshot.HostData(hostPart.address(), hostPart.hostname(), hostPart.user(),
                hostPart.privateKey(), hostPart.publicKey(), hostPart.files(), hostPart.machine(),
                hostPart.osRelease(), hostPart.kubeletReady(), serviceRole, enableWorker, running, leftEtcd,
                cluster == null ? null : cluster.id(), List.copyOf(cordonedAtStop), startedConfig);
    }

    /** Takes over a snapshot's k0s state; the host's files are restored already. */
    void restore(HostsSnapshot.HostData data, SimulatedCluster restoredCluster) {
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

    private Optional<String> binaryVersion() {
        byte[] binary = files.get(owner.binaryPath());
        if (binary == null) {
            return Optional.empty();
        }
        String text = new String(binary, StandardCharsets.UTF_8);
        return text.startsWith(HostShell.BINARY_MARKER) ? Optional.of(text.substring(HostShell.BINARY_MARKER.length()).split(" ")[0]) : Optional.empty();
    }

    /** Runs {@code k0s ARGS}. */
    CommandResult run(List<String> args) {
        Optional<String> version = binaryVersion();
        if (version.isEmpty()) {
            return CommandResult.error(127, "sh: 1: k0s: not found\n");
        }
        String command = String.join(" ", args);
        if (command.equals("version")) {
            return CommandResult.ok("v" + version.get() + "\n");
        }
        if (command.equals("status")) {
            return running
                    ? CommandResult.ok("Version: v" + version.get() + "\nProcess ID: 4242\nRole: " + serviceRole + "\n")
                    : CommandResult.error(1, "Error: k0s not running\n");
        }
        if (args.size() >= 2 && args.get(0).equals("config") && args.get(1).equals("validate")) {
            return K0sConfigCheck.validateCommand(args.subList(2, args.size()), files);
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
                    && joinPending == null && versionProblem == null ? CommandResult.ok("ok") : CommandResult.error(1, "The connection to the server localhost:8080 was refused\n");
        }
        if (args.size() >= 2 && args.get(0).equals("token") && args.get(1).equals("create")) {
            return tokenCreate(args.subList(2, args.size()));
        }
        if (args.size() >= 2 && args.get(0).equals("token") && args.get(1).equals("invalidate")) {
            return tokenInvalidate(args.subList(2, args.size()));
        }
        if (command.equals("etcd leave")) {
            if (!isController() || !running || cluster == null) {
                return CommandResult.error(1, "Error: etcd leave needs a running controller\n");
            }
            leftEtcd = true;
            return CommandResult.ok("");
        }
        if (command.equals("kubeconfig admin")) {
            if (!isController() || !running || cluster == null) {
                return CommandResult.error(1, "Error: k0s is not running as a controller\n");
            }
            return CommandResult.ok(owner.clusters().adminKubeconfig(cluster, host.address()));
        }
        return CommandResult.error(1, "Error: unknown command \"" + command + "\" for \"k0s\"\n");
    }

    /** {@code k0s token create [--role=ROLE] [--expiry=DURATION]}, flags as k0s reads them ({@code --f=v} or {@code --f v}). */
    private CommandResult tokenCreate(List<String> flags) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("--role", "worker", "--expiry", "0s"));
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (!values.containsKey(name)) {
                return CommandResult.error(1, "Error: unknown flag: " + name + "\n");
            }
            if (flag.contains("=")) {
                values.put(name, flag.substring(flag.indexOf('=') + 1));
            } else if (i + 1 < flags.size()) {
                values.put(name, flags.get(++i));
            } else {
                return CommandResult.error(1, "Error: flag needs an argument: " + name + "\n");
            }
        }
        String role = values.get("--role");
        if (!role.equals("worker") && !role.equals("controller")) {
            return CommandResult.error(1, "Error: unsupported role \"" + role + "\"; supported roles are \"controller\" and \"worker\"\n");
        }
        Optional<java.time.Duration> expiry = JoinTokens.parseExpiry(values.get("--expiry"));
        if (expiry.isEmpty()) {
            return CommandResult.error(1, "Error: invalid argument \"" + values.get("--expiry") + "\" for \"--expiry\" flag\n");
        }
        if (!isController() || !running || cluster == null) {
            return CommandResult.error(1, "Error: failed to create token: k0s is not running as a controller\n");
        }
        String token = owner.clusters().issueToken(cluster, role, expiry.get());
        owner.stateChanged();
        return CommandResult.ok(token + "\n");
    }

    /** {@code k0s token invalidate ID...}: the bootstrap tokens of this controller's cluster with those ids. */
    private CommandResult tokenInvalidate(List<String> ids) {
        if (ids.isEmpty()) {
            return CommandResult.error(1, "Error: invalidate requires at least one token ID\n");
        }
        if (!isController() || !running || cluster == null) {
            return CommandResult.error(1, "Error: failed to invalidate token: k0s is not running as a controller\n");
        }
        for (String id : ids) {
            boolean found = owner.clusters().invalidateToken(cluster, id);
            owner.stateChanged();
            if (!found) {
                return CommandResult.error(1, "Error: failed to invalidate token " + id + ": not found\n");
            }
        }
        return CommandResult.ok("token " + String.join(", ", ids) + " deleted successfully\n");
    }

    private boolean isController() {
        return "controller".equals(serviceRole);
    }

    private CommandResult k0sInstall(String role, List<String> flags) {
        if (!role.equals("controller") && !role.equals("worker")) {
            return CommandResult.error(1, "Error: unknown role " + role + "\n");
        }
        if (serviceRole != null && !flags.contains("--force")) {
            return CommandResult.error(1, "Error: failed to install k0s service: init already exists: /etc/systemd/system/k0s"
                    + role + ".service\n");
        }
        SimulatedCluster joined = null;
        int tokenFile = flags.indexOf("--token-file");
        if (tokenFile >= 0) {
            byte[] token = tokenFile + 1 < flags.size() ? files.get(flags.get(tokenFile + 1)) : null;
            if (token == null) {
                return CommandResult.error(1, "Error: failed to read token file: no such file\n");
            }
            JoinTokens.Result target = owner.clusters().redeemToken(new String(token, StandardCharsets.UTF_8).strip(), role);
            if (target.cluster() == null) {
                return CommandResult.error(1, "Error: failed to join: " + target.refusal() + "\n");
            }
            joined = target.cluster();
        } else if (role.equals("worker")) {
            return CommandResult.error(1, "Error: a worker needs --token-file\n");
        }
        int config = flags.indexOf("--config");
        if (role.equals("controller") && joined == null) {
            byte[] clusterConfig = config >= 0 && config + 1 < flags.size() ? files.get(flags.get(config + 1)) : null;
            if (clusterConfig == null) {
                return CommandResult.error(1, "Error: failed to read the cluster config\n");
            }
            joined = owner.newCluster(host.address(), new String(clusterConfig, StandardCharsets.UTF_8));
        }
        serviceRole = role;
        enableWorker = role.equals("worker") || flags.contains("--enable-worker");
        joinedByToken = tokenFile >= 0;
        cluster = joined;
        configPath = config >= 0 && config + 1 < flags.size() ? flags.get(config + 1) : null;
        byte[] configFile = config >= 0 && config + 1 < flags.size() ? files.get(flags.get(config + 1)) : null;
        controlPlaneProblem = role.equals("controller") && configFile != null && host.vpcAddress() != null
                ? K0sConfigCheck.problem(configFile, java.util.Set.of(host.vpcAddress(), host.address())).orElse(null) : null;
        return CommandResult.ok("");
    }

    private CommandResult k0sStart(String version) {
        if (serviceRole == null) {
            return CommandResult.error(1, "Error: k0s is not installed as a service\n");
        }
        running = true;
        if (isController()) {
            startedConfig = configFileText();
        }
        // What the network drops never joins (see JoinPath): the service runs, its components wait.
        Optional<String> unreachable = joinedByToken && cluster != null ? joinProblem() : Optional.empty();
        if (unreachable.isPresent()) {
            // k0s keeps trying, as the real one does while a load balancer's targets are still initial.
            joinPending = version;
            joinWaitingFor = unreachable.get();
            owner.retryJoin(host);
            return CommandResult.ok("");
        }
        joined(version);
        return CommandResult.ok("");
    }

    private void joined(String version) {
        if (cluster != null) {
            Optional<String> skew = cluster.versionSkew(host.hostname(), serviceRole, version);
            if (skew.isPresent()) {
                // The service runs; its components refuse the version (the API never gets ready, or the node
                // registers NotReady).
                versionProblem = skew.get();
                if (isController()) {
                    return;
                }
                if (enableWorker) {
                    cluster.kubeletStarted(host.hostname(), version, false);
                }
                return;
            }
        }
        versionProblem = null;
        if (isController() && cluster != null) {
            cluster.controllerStarted(host.hostname(), version);
            cluster.startApi();
            if (files.containsKey(configFilePath())) {
                cluster.applyExtensions(configFileText());
            }
        }
        if (enableWorker && cluster != null) {
            cluster.kubeletStarted(host.hostname(), version, host.kubeletWillBeReady());
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
    boolean retryJoin() {
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
    Optional<String> joinWaitingFor() {
        return Optional.ofNullable(joinPending == null ? null : joinWaitingFor);
    }

    private Optional<String> joinProblem() {
        return JoinPath.problem(cluster, isController(), host.hostname(), owner.network());
    }

    private CommandResult k0sStop() {
        if (enableWorker && cluster != null) {
            cordonedAtStop.add(host.hostname() + (cluster.cordoned(host.hostname()) ? ":cordoned" : ":schedulable"));
            cluster.kubeletStopped(host.hostname());
        }
        running = false;
        return CommandResult.ok("");
    }

    /** Whether this host's k0s serves the Kubernetes API now: a running controller whose control plane is up. */
    boolean servesApi() {
        return running && "controller".equals(serviceRole) && controlPlaneProblem == null && joinPending == null
                && versionProblem == null && cluster != null;
    }

    /**
     * The names and addresses this controller's API serving certificate covers (see {@link ApiCertificateNames}),
     * issued when its k0s last started; empty while it does not run as a controller.
     */
    Set<String> apiCertificateNames() {
        if (!running || !isController() || startedConfig == null) {
            return Set.of();
        }
        Set<String> own = new java.util.HashSet<>(Set.of(host.address()));
        if (host.vpcAddress() != null) {
            own.add(host.vpcAddress());
        }
        return ApiCertificateNames.of(startedConfig, own);
    }
}
