package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.k0rdent.ops.bootstrap.k0s.ClusterConfigRenderer;
import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.JoinTokenId;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.k0s.RemoteCommand;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import io.k0rdent.ops.bootstrap.kube.KubeconfigRewriter;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.kube.NodeState;
import io.k0rdent.ops.bootstrap.kube.PodState;
import io.k0rdent.ops.bootstrap.kube.WorkloadCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.bootstrap.ssh.RemoteShell;
import io.k0rdent.ops.bootstrap.ssh.ShellConnector;
import io.k0rdent.ops.bootstrap.ssh.SshException;
import io.k0rdent.ops.bootstrap.ssh.SshTarget;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.PhaseTiming;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.ReadyNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings k0s up on a cluster's nodes the way k0sctl does, as the explicit, resumable phases of
 * {@link PhasePlan}, and answers retirements and destruction. It turns every outcome into the event
 * that reports it; it never throws for a cluster problem.
 *
 * <p>Work on one cluster is serialized (a lock per cluster, on top of Kafka's per-key ordering);
 * different clusters run in parallel on the caller's threads.
 *
 * <p>Logs name phases, hosts and commands only; standard input (tokens, files), command output and
 * the kubeconfig are never logged.
 */
public final class ClusterBootstrapper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final ShellConnector connector;
    private final WorkloadClusterProbe probe;
    private final ManagementCluster management;
    private final CheckpointStore checkpoints;
    private final BootstrapProperties.K0s k0s;
    private final BootstrapProperties.Verify verify;
    private final K0sInstaller installer;
    private final ClusterConfigRenderer renderer = new ClusterConfigRenderer();
    private final DefinitionGuard guard = new DefinitionGuard();
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Runs per-node work of all clusters; its size bounds the SSH commands in flight. */
    private final ExecutorService nodeWork;

    private final EventTelemetry telemetry;

    /** A bootstrapper without telemetry (no-op tracer, a registry of its own), for tests of the phases alone. */
    public ClusterBootstrapper(ShellConnector connector, WorkloadClusterProbe probe, ManagementCluster management,
                               CheckpointStore checkpoints, BootstrapProperties properties, Clock clock) {
        this(connector, probe, management, checkpoints, properties, clock,
                new EventTelemetry(OpenTelemetry.noop(), new SimpleMeterRegistry(), "bootstrap"));
    }

    public ClusterBootstrapper(ShellConnector connector, WorkloadClusterProbe probe, ManagementCluster management,
                               CheckpointStore checkpoints, BootstrapProperties properties, Clock clock,
                               EventTelemetry telemetry) {
        this.telemetry = telemetry;
        this.connector = connector;
        this.probe = probe;
        this.management = management;
        this.checkpoints = checkpoints;
        this.k0s = properties.k0s();
        this.verify = properties.verify();
        this.installer = new K0sInstaller(properties.k0s(), properties.ssh().useSudo());
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.nodeWork = Executors.newFixedThreadPool(Math.max(1, properties.nodeParallelism()), r -> {
            Thread t = new Thread(r, "bootstrap-node-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        nodeWork.shutdownNow();
    }

    /**
     * Runs {@code action} for every node in parallel (bounded by the shared pool) and waits for all of
     * them, so no task still uses a session when the phase ends. Reports the failure of the first node
     * in {@code nodes}' order.
     */
    private void forEachNode(BootstrapPhase phase, List<ProvisionedNode> nodes, Consumer<ProvisionedNode> action) {
        if (nodes.size() <= 1) {
            nodes.forEach(action);
            return;
        }
        List<Future<?>> tasks = nodes.stream().<Future<?>>map(n -> nodeWork.submit(() -> action.accept(n))).toList();
        RuntimeException first = null;
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tasks.forEach(t -> t.cancel(true));
                throw new PhaseFailure(phase, null, null, null, "interrupted", true);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Creates or updates the cluster; returns {@link ClusterReady} or {@link BootstrapFailed}. */
    public BootstrapEvent bootstrap(InfrastructureProvisioned event) {
        String cluster = event.header().clusterName();
        ReentrantLock lock = locks.computeIfAbsent(cluster, c -> new ReentrantLock());
        lock.lock();
        long start = System.nanoTime();
        Run run = new Run(event);
        BootstrapEvent result = null;
        try {
            result = run.execute();
            return result;
        } finally {
            lock.unlock();
            // bootstrap (k0s was nowhere yet) or upgrade (an existing cluster's new generation), as dashboards see it.
            String stage = run.updatesExistingCluster() ? "upgrade" : "bootstrap";
            telemetry.recordStage(stage, result instanceof ClusterReady, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Cordons and drains the retiring nodes through the cluster's API, stops k0s on them and deletes
     * their Node objects; only then answers {@link NodesDrained}, so the provisioner may terminate them.
     */
    public BootstrapEvent retire(NodesRetirementRequested event) {
        String cluster = event.header().clusterName();
        ReentrantLock lock = locks.computeIfAbsent(cluster, c -> new ReentrantLock());
        lock.lock();
        try {
            return drain(event);
        } catch (PhaseFailure failure) {
            return failed(event.header(), failure);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the kubeconfig Secret of a cluster whose infrastructure is gone. */
    public Optional<BootstrapEvent> destroyed(InfrastructureDestroyed event) {
        String cluster = event.header().clusterName();
        ReentrantLock lock = locks.computeIfAbsent(cluster, c -> new ReentrantLock());
        lock.lock();
        try {
            SafeValues.clusterName(cluster);
            management.deleteKubeconfig(cluster);
            checkpoints.clear(cluster);
            LOG.info("cluster {}: infrastructure destroyed, kubeconfig Secret removed", cluster);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(failed(event.header(), new PhaseFailure(BootstrapPhase.REMOVE_KUBECONFIG, null, null, null,
                    e.getMessage(), false)));
        } catch (RuntimeException e) {
            return Optional.of(failed(event.header(), new PhaseFailure(BootstrapPhase.REMOVE_KUBECONFIG, null, null, null,
                    "cannot delete the kubeconfig Secret: " + e.getMessage(), true)));
        } finally {
            lock.unlock();
            locks.remove(cluster);
        }
    }

    private BootstrapEvent drain(NodesRetirementRequested event) {
        String cluster = event.header().clusterName();
        try {
            SafeValues.clusterName(cluster);
            for (ProvisionedNode node : event.nodes()) {
                SafeValues.address(node.ssh().host());
                SafeValues.port(node.ssh().port());
                SafeValues.sshUser(node.ssh().user());
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PhaseFailure(BootstrapPhase.DRAIN, null, null, null, "rejected before any command: " + e.getMessage(), false);
        }
        String kubeconfig = management.kubeconfig(cluster).orElseThrow(() -> new PhaseFailure(BootstrapPhase.DRAIN, null,
                null, null, "no kubeconfig Secret for " + cluster + ": the cluster was never Ready", false));
        List<String> drained = new ArrayList<>();
        try (WorkloadCluster api = probe.open(kubeconfig)) {
            for (ProvisionedNode node : event.nodes()) {
                try (RemoteShell shell = connect(BootstrapPhase.DRAIN, node)) {
                    String hostname = hostnameOf(BootstrapPhase.DRAIN, shell, node);
                    boolean registered = api.nodes().stream().anyMatch(n -> n.name().equals(hostname));
                    if (registered) {
                        LOG.info("cluster {}: cordoning and draining {}", cluster, hostname);
                        api.setUnschedulable(hostname, true);
                        api.evictPods(hostname);
                    }
                    if (node.role() == NodeRole.CONTROLLER) {
                        // A controller leaves etcd itself while it still runs, so the quorum shrinks cleanly
                        // instead of counting a terminated member.
                        mustRun(BootstrapPhase.DRAIN, shell, node, installer.leaveEtcd(), List.of(), true);
                    }
                    // Stopped before the Node object goes, or its kubelet would register it again.
                    mustRun(BootstrapPhase.DRAIN, shell, node, installer.stop(), List.of(), true);
                    if (registered) {
                        api.deleteNode(hostname);
                    }
                    drained.add(node.instanceId());
                }
            }
        } catch (PhaseFailure failure) {
            throw failure;
        } catch (RuntimeException e) {
            throw new PhaseFailure(BootstrapPhase.DRAIN, null, null, null, "draining failed: " + e.getMessage(), true);
        }
        return new NodesDrained(event.header().causing("bootstrap/nodes-drained", clock.instant()), drained);
    }

    private RemoteShell connect(BootstrapPhase phase, ProvisionedNode node) {
        return connect(phase, node, null);
    }

    /** A shell on the node, offering only the key of {@code keyName} (every key held when {@code null}). */
    private RemoteShell connect(BootstrapPhase phase, ProvisionedNode node, String keyName) {
        SshTarget target = new SshTarget(node.ssh().host(), node.ssh().port(), node.ssh().user(),
                node.ssh().hostKeyFingerprint(), keyName);
        try {
            return connector.connect(target);
        } catch (SshException e) {
            throw new PhaseFailure(phase, node.ssh().host(), null, null, e.getMessage(), e.kind().retryable());
        }
    }

    private String hostnameOf(BootstrapPhase phase, RemoteShell shell, ProvisionedNode node) {
        CommandResult r = mustRun(phase, shell, node, installer.hostname(), List.of(), true);
        String hostname = r.stdout().strip();
        try {
            return SafeValues.hostname(hostname);
        } catch (IllegalArgumentException e) {
            throw new PhaseFailure(phase, node.ssh().host(), installer.hostname().toString(), null, e.getMessage(), false);
        }
    }

    /** Runs a command and fails the phase on a non-zero exit status. */
    private static CommandResult mustRun(BootstrapPhase phase, RemoteShell shell, ProvisionedNode node, RemoteCommand command,
                                         List<String> secrets, boolean retryable) {
        CommandResult r = run(phase, shell, node, command);
        if (!r.ok()) {
            throw new PhaseFailure(phase, node.ssh().host(), command.toString(), Redactor.tail(r.stderr(), secrets),
                    "'" + command + "' exited with status " + r.exitStatus(), retryable);
        }
        return r;
    }

    private static CommandResult run(BootstrapPhase phase, RemoteShell shell, ProvisionedNode node, RemoteCommand command) {
        try {
            LOG.debug("{} {}: {}", phase, node.ssh().host(), command);
            return shell.run(command);
        } catch (SshException e) {
            throw new PhaseFailure(phase, node.ssh().host(), command.toString(), null, e.getMessage(), e.kind().retryable());
        }
    }

    private BootstrapFailed failed(EventHeader cause, PhaseFailure failure) {
        LOG.warn("cluster {}: {} failed on {}: {}", cause.clusterName(), failure.phase(),
                failure.host() == null ? "the cluster" : failure.host(), failure.getMessage());
        return new BootstrapFailed(cause.causing("bootstrap/failed/" + failure.phase(), clock.instant()), failure.phase(),
                failure.host(), failure.command(), failure.stderrTail(), failure.getMessage(), failure.retryable());
    }

    /** Waits until {@code condition} holds; false when {@code timeout} passed first. */
    private boolean await(Duration timeout, BooleanSupplier condition) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (clock.instant().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(verify.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** One attempt at bringing one cluster to its definition. */
    private final class Run {

        private final InfrastructureProvisioned event;
        private final String cluster;
        private final ClusterDefinition definition;
        private final List<ProvisionedNode> controllers;
        private final List<ProvisionedNode> workers;
        private final Map<String, RemoteShell> shells = new ConcurrentHashMap<>();
        private final Map<String, NodeFacts> facts = new ConcurrentHashMap<>();
        /** Whether GATHER_FACTS found k0s on any node (see {@link #updatesExistingCluster()}). */
        private volatile boolean k0sFoundAtStart;
        /** Secrets seen in this run, removed from every stderr tail. */
        private final List<String> secrets = new CopyOnWriteArrayList<>();
        private CheckpointStore.Checkpoint checkpoint;
        private String version;
        private String kubeconfig;
        /** Worker join tokens of this pass, invalidated once the workers are Ready. */
        private final List<String> workerTokens = new ArrayList<>();
        private List<NodeState> readyNodes = List.of();

        Run(InfrastructureProvisioned event) {
            this.event = event;
            this.cluster = event.header().clusterName();
            this.definition = event.definition();
            this.controllers = event.nodes().stream().filter(n -> n.role() == NodeRole.CONTROLLER)
                    .sorted(Comparator.comparingInt(ProvisionedNode::slot)).toList();
            this.workers = event.nodes().stream().filter(n -> n.role() == NodeRole.WORKER)
                    .sorted(Comparator.comparingInt(ProvisionedNode::slot)).toList();
        }

        BootstrapEvent execute() {
            checkpoint = checkpoints.get(cluster, event.header().generation());
            BootstrapPhase current = BootstrapPhase.CONNECT;
            try {
                try {
                    guard.check(cluster, definition, event.nodes());
                    if (controllers.isEmpty()) {
                        throw new IllegalArgumentException("the event lists no controller");
                    }
                    // Named keys (issue 15 item 3): a key pair the service does not hold fails here, naming it,
                    // instead of as a login timeout on every node.
                    Optional<String> missingKey = connector.missingKey(definition.spec().ssh().keyName());
                    if (missingKey.isPresent()) {
                        throw new IllegalArgumentException(missingKey.get());
                    }
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new PhaseFailure(BootstrapPhase.CONNECT, null, null, null,
                            "rejected before any command ran: " + e.getMessage(), false);
                }
                version = definition.spec().k0s().version();
                List<BootstrapPhase> plan = PhasePlan.remaining(checkpoint.completed());
                if (!checkpoint.completed().isEmpty()) {
                    LOG.info("cluster {}: resuming generation {} at {}", cluster, event.header().generation(),
                            plan.stream().filter(p -> !PhasePlan.READ_ONLY.contains(p)).findFirst().orElse(null));
                }
                for (BootstrapPhase phase : plan) {
                    current = phase;
                    Instant started = clock.instant();
                    observedPhase(phase);
                    Duration took = Duration.between(started, clock.instant());
                    checkpoint.completed().add(phase);
                    checkpoint.timings().put(phase, took);
                }
                checkpoints.clear(cluster);
                return ready(checkpoint);
            } catch (PhaseFailure failure) {
                checkpoints.save(cluster, checkpoint);
                return failed(event.header(), failure);
            } catch (RuntimeException e) {
                checkpoints.save(cluster, checkpoint);
                return failed(event.header(), new PhaseFailure(current, null, null, null,
                        e.getClass().getSimpleName() + ": " + Redactor.redact(String.valueOf(e.getMessage()), secrets), true));
            } finally {
                shells.values().forEach(RemoteShell::close);
            }
        }

        /**
         * Runs one phase in a span of its own ({@code bootstrap phase <PHASE>}, child of the record's consumer span)
         * and times it as {@code k0rdent.ssh.phase.duration}.
         */
        private void observedPhase(BootstrapPhase phase) {
            long start = System.nanoTime();
            boolean success = false;
            try {
                telemetry.inSpan("bootstrap phase " + phase, () -> runPhase(phase));
                success = true;
            } finally {
                Timer.builder(MetricNames.SSH_PHASE_DURATION)
                        .tags("phase", phase.name(), "outcome", success ? "success" : "failure")
                        .publishPercentileHistogram()
                        .register(telemetry.meters())
                        .record(Duration.ofNanos(System.nanoTime() - start));
            }
        }

        /**
         * True when the facts gathered at the start of this run showed k0s already on a node: this run updates a
         * cluster rather than creating it. Decided from the gathered facts, not the current ones, which this run's
         * own INSTALL_K0S updates (a new cluster would otherwise count as an upgrade).
         */
        boolean updatesExistingCluster() {
            return k0sFoundAtStart;
        }

        private void runPhase(BootstrapPhase phase) {
            LOG.info("cluster {}: {}", cluster, phase);
            switch (phase) {
                case CONNECT -> connectAll();
                case GATHER_FACTS -> gatherFacts();
                case VALIDATE_HOSTS -> validateHosts();
                case UPGRADE -> upgrade();
                case INSTALL_K0S -> installK0s();
                case CONFIGURE -> configure();
                case INIT_CONTROLLER -> initController();
                case JOIN_CONTROLLERS -> joinControllers();
                case JOIN_WORKERS -> joinWorkers();
                case FETCH_KUBECONFIG -> fetchKubeconfig();
                case VERIFY -> verifyHealthy();
                case STORE_KUBECONFIG -> management.storeKubeconfig(cluster, kubeconfig);
                default -> throw new IllegalStateException("not a create phase: " + phase);
            }
        }

        private List<ProvisionedNode> all() {
            List<ProvisionedNode> all = new ArrayList<>(controllers);
            all.addAll(workers);
            return all;
        }

        private RemoteShell shell(ProvisionedNode node) {
            return shells.get(node.instanceId());
        }

        private CommandResult must(BootstrapPhase phase, ProvisionedNode node, RemoteCommand command) {
            return mustRun(phase, shell(node), node, command, secrets, true);
        }

        private void connectAll() {
            forEachNode(BootstrapPhase.CONNECT, all(), node -> shells.put(node.instanceId(),
                    connect(BootstrapPhase.CONNECT, node, definition.spec().ssh().keyName())));
        }

        private void gatherFacts() {
            BootstrapPhase phase = BootstrapPhase.GATHER_FACTS;
            forEachNode(phase, all(), node -> {
                String machine = must(phase, node, installer.architecture()).stdout().strip();
                String os = K0sInstaller.osId(must(phase, node, installer.osRelease()).stdout()).orElse("unknown");
                String hostname = must(phase, node, installer.hostname()).stdout().strip();
                CommandResult version = run(phase, shell(node), node, installer.installedVersion());
                String installed = version.ok() ? K0sInstaller.parseVersion(version.stdout()).orElse(null) : null;
                boolean running = run(phase, shell(node), node, installer.status()).ok();
                facts.put(node.instanceId(), new NodeFacts(hostname, machine, K0sInstaller.k0sArch(machine).orElse(null),
                        os, installed, running));
            });
            k0sFoundAtStart = facts.values().stream().anyMatch(f -> f.installedVersion() != null);
        }

        private void validateHosts() {
            BootstrapPhase phase = BootstrapPhase.VALIDATE_HOSTS;
            Set<String> hostnames = new HashSet<>();
            for (ProvisionedNode node : all()) {
                NodeFacts f = facts.get(node.instanceId());
                if (f.arch() == null) {
                    throw new PhaseFailure(phase, node.ssh().host(), "uname -m", null,
                            "unsupported architecture '" + f.machine() + "': k0s runs on x86_64, aarch64 and armv7", false);
                }
                try {
                    SafeValues.hostname(f.hostname());
                } catch (IllegalArgumentException e) {
                    throw new PhaseFailure(phase, node.ssh().host(), "hostname", null, e.getMessage(), false);
                }
                if (!hostnames.add(f.hostname())) {
                    throw new PhaseFailure(phase, node.ssh().host(), "hostname", null,
                            "hostname '" + f.hostname() + "' is used by more than one node; Kubernetes node names must be unique", false);
                }
                if (f.installedVersion() != null && f.running()) {
                    try {
                        UpgradePlanner.requireAllowed(f.installedVersion(), version, k0s.allowDowngrade());
                    } catch (IllegalArgumentException e) {
                        throw new PhaseFailure(phase, node.ssh().host(), "k0s version", null, e.getMessage(), false);
                    }
                }
            }
        }

        private boolean stale(ProvisionedNode node) {
            NodeFacts f = facts.get(node.instanceId());
            return f.running() && f.installedVersion() != null && !f.installedVersion().equals(version);
        }

        /** A worker an earlier attempt cordoned for its upgrade and did not finish. */
        private boolean unfinished(ProvisionedNode worker) {
            return checkpoint.cordoned().contains(worker.instanceId()) && !stale(worker);
        }

        /**
         * A controller an interrupted upgrade left stopped (the process died, or its start failed, between
         * {@code k0s stop} and a successful {@code k0s start}): k0s is installed but does not run, while its binary
         * or another node is still on an older version. Found by the fault suite (deploy/faults): without this, the
         * retry asked the stopped controller for a kubeconfig and failed the same way forever.
         */
        private boolean interruptedUpgrade(ProvisionedNode controller) {
            NodeFacts f = facts.get(controller.instanceId());
            return !f.running() && f.installedVersion() != null
                    && (!f.installedVersion().equals(version) || all().stream().anyMatch(this::stale));
        }

        private void upgrade() {
            List<ProvisionedNode> staleControllers = controllers.stream()
                    .filter(c -> stale(c) || interruptedUpgrade(c)).toList();
            List<ProvisionedNode> staleWorkers = workers.stream().filter(w -> stale(w) || unfinished(w)).toList();
            if (staleControllers.isEmpty() && staleWorkers.isEmpty()) {
                return;
            }
            Map<String, ProvisionedNode> byId = all().stream().collect(Collectors.toMap(ProvisionedNode::instanceId, n -> n));
            List<UpgradePlanner.Step> steps = UpgradePlanner.plan(
                    staleControllers.stream().map(ProvisionedNode::instanceId).toList(),
                    staleWorkers.stream().map(ProvisionedNode::instanceId).toList(),
                    k0s.workerBatchPercent(), workers.size());
            String upgradeKubeconfig = null;
            for (UpgradePlanner.Step step : steps) {
                List<ProvisionedNode> nodes = step.nodes().stream().map(byId::get).toList();
                if (!step.controllers() && upgradeKubeconfig == null) {
                    // Only now: the controllers are upgraded and running, so the first one can print it.
                    upgradeKubeconfig = fetchAdminKubeconfig(BootstrapPhase.UPGRADE);
                }
                if (step.controllers()) {
                    ProvisionedNode controller = nodes.get(0);
                    LOG.info("cluster {}: upgrading controller {} to {}", cluster, controller.ssh().host(), version);
                    replaceBinary(BootstrapPhase.UPGRADE, controller);
                    awaitApi(BootstrapPhase.UPGRADE, controller);
                } else {
                    upgradeWorkers(nodes, upgradeKubeconfig);
                }
            }
        }

        private void upgradeWorkers(List<ProvisionedNode> batch, String adminKubeconfig) {
            BootstrapPhase phase = BootstrapPhase.UPGRADE;
            try (WorkloadCluster api = probe.open(adminKubeconfig)) {
                for (ProvisionedNode worker : batch) {
                    String name = facts.get(worker.instanceId()).hostname();
                    LOG.info("cluster {}: draining worker {} before its upgrade", cluster, name);
                    // Remembered before cordoning, so that a retry after a failure finds and finishes it.
                    checkpoint.cordoned().add(worker.instanceId());
                    api.setUnschedulable(name, true);
                    api.evictPods(name);
                }
                forEachNode(phase, batch, worker -> replaceBinary(phase, worker));
                for (ProvisionedNode worker : batch) {
                    String name = facts.get(worker.instanceId()).hostname();
                    boolean ready = await(verify.readyTimeout(), () -> api.nodes().stream()
                            .anyMatch(n -> n.name().equals(name) && n.ready()));
                    if (!ready) {
                        throw new PhaseFailure(phase, worker.ssh().host(), null, null,
                                "worker " + name + " is not Ready after its upgrade to " + version, true);
                    }
                    api.setUnschedulable(name, false);
                    checkpoint.cordoned().remove(worker.instanceId());
                }
            }
        }

        /**
         * Stops k0s, puts the target version in place and starts it again; steps an interrupted earlier
         * attempt already did (stopped, binary replaced) are not repeated.
         */
        private void replaceBinary(BootstrapPhase phase, ProvisionedNode node) {
            NodeFacts f = facts.get(node.instanceId());
            if (f.running()) {
                must(phase, node, installer.stop());
            }
            if (!version.equals(f.installedVersion())) {
                putBinary(phase, node);
            }
            must(phase, node, installer.start());
            if (!await(verify.apiTimeout(), () -> run(phase, shell(node), node, installer.status()).ok())) {
                throw new PhaseFailure(phase, node.ssh().host(), installer.status().toString(), null,
                        "k0s did not come back after the upgrade", true);
            }
            facts.put(node.instanceId(), new NodeFacts(f.hostname(), f.machine(), f.arch(), f.os(), version, true));
        }

        private void putBinary(BootstrapPhase phase, ProvisionedNode node) {
            String arch = facts.get(node.instanceId()).arch();
            Optional<String> local = installer.localBinary(version, arch);
            if (local.isPresent()) {
                byte[] binary;
                try {
                    binary = Files.readAllBytes(Path.of(local.get()));
                } catch (IOException e) {
                    throw new PhaseFailure(phase, null, null, null, "cannot read the local k0s binary " + local.get(), false);
                }
                must(phase, node, installer.upload(binary));
            } else {
                must(phase, node, installer.download(version, arch));
            }
            CommandResult check = must(phase, node, installer.installedVersion());
            String installed = K0sInstaller.parseVersion(check.stdout()).orElse(null);
            if (!version.equals(installed)) {
                throw new PhaseFailure(phase, node.ssh().host(), installer.installedVersion().toString(), null,
                        "installed k0s reports version " + installed + ", expected " + version, true);
            }
        }

        private void installK0s() {
            List<ProvisionedNode> missing = all().stream().filter(node -> {
                NodeFacts f = facts.get(node.instanceId());
                return !version.equals(f.installedVersion()) && !f.running();
            }).toList();
            forEachNode(BootstrapPhase.INSTALL_K0S, missing, node -> {
                NodeFacts f = facts.get(node.instanceId());
                LOG.info("cluster {}: installing k0s {} on {}", cluster, version, node.ssh().host());
                putBinary(BootstrapPhase.INSTALL_K0S, node);
                facts.put(node.instanceId(), new NodeFacts(f.hostname(), f.machine(), f.arch(), f.os(), version, false));
            });
        }

        private String externalAddress() {
            ProvisionedNode first = controllers.get(0);
            if (first.publicAddress() != null) {
                return first.publicAddress();
            }
            return first.privateAddress() != null ? first.privateAddress() : first.ssh().host();
        }

        private void configure() {
            List<String> addresses = new ArrayList<>();
            for (ProvisionedNode c : controllers) {
                if (c.privateAddress() != null) {
                    addresses.add(c.privateAddress());
                }
                if (c.publicAddress() != null) {
                    addresses.add(c.publicAddress());
                }
            }
            // The load balancer's address when the provisioner gave one (S2): it survives replacing any controller.
            String external = event.apiAddress() != null ? event.apiAddress() : externalAddress();
            List<ProvisionedNode> changedRunning = java.util.Collections.synchronizedList(new ArrayList<>());
            forEachNode(BootstrapPhase.CONFIGURE, controllers, controller -> {
                // Each controller binds its API and its etcd peer port to its own private address (S3; k0sctl
                // renders the same per host): one file copied to every controller would bind them all to the first.
                String own = controller.privateAddress() != null ? controller.privateAddress() : controller.ssh().host();
                String yaml = renderer.render(new ClusterConfigRenderer.Input(definition, own, external, addresses,
                        k0s.apiPort(), own));
                CommandResult current = run(BootstrapPhase.CONFIGURE, shell(controller), controller, installer.readConfig());
                if (!current.ok() || !current.stdout().equals(yaml)) {
                    must(BootstrapPhase.CONFIGURE, controller, installer.writeConfig(yaml));
                    if (current.ok() && facts.get(controller.instanceId()).running()) {
                        changedRunning.add(controller);
                    }
                }
                // k0s checks the file itself before anything is installed with it (issue 15 item 4): a value it
                // refuses fails here, with its message, instead of as a controller that never comes up.
                must(BootstrapPhase.CONFIGURE, controller, installer.validateConfig());
            });
            // k0s reads its configuration at start: a changed one (an addon switched, a chart version) takes effect
            // only when k0s restarts (issue 15 item 5). One controller at a time, each serving again before the
            // next, so the API stays up; VERIFY then checks the addons are there, or gone.
            List<ProvisionedNode> restart = new ArrayList<>(changedRunning);
            restart.sort(Comparator.comparingInt(ProvisionedNode::slot));
            for (ProvisionedNode controller : restart) {
                LOG.info("cluster {}: restarting k0s on {} for its changed configuration", cluster,
                        controller.ssh().host());
                must(BootstrapPhase.CONFIGURE, controller, installer.stop());
                must(BootstrapPhase.CONFIGURE, controller, installer.start());
                awaitApi(BootstrapPhase.CONFIGURE, controller);
            }
        }

        private void initController() {
            ProvisionedNode first = controllers.get(0);
            if (!facts.get(first.instanceId()).running()) {
                LOG.info("cluster {}: initializing the first controller {}", cluster, first.ssh().host());
                must(BootstrapPhase.INIT_CONTROLLER, first, installer.installController(false, workers.isEmpty()));
                must(BootstrapPhase.INIT_CONTROLLER, first, installer.start());
            }
            awaitApi(BootstrapPhase.INIT_CONTROLLER, first);
        }

        private void awaitApi(BootstrapPhase phase, ProvisionedNode controller) {
            RemoteCommand readyz = installer.apiReady();
            boolean up = await(verify.apiTimeout(), () -> {
                CommandResult r = run(phase, shell(controller), controller, readyz);
                return r.ok() && r.stdout().strip().equals("ok");
            });
            if (!up) {
                CommandResult last = run(phase, shell(controller), controller, readyz);
                throw new PhaseFailure(phase, controller.ssh().host(), readyz.toString(), Redactor.tail(last.stderr(), secrets),
                        "the API of " + controller.ssh().host() + " did not become ready within " + verify.apiTimeout(), true);
            }
        }

        private String createToken(BootstrapPhase phase, String role, int nodes) {
            String token = must(phase, controllers.get(0), installer.createToken(role, nodes)).stdout().strip();
            if (token.isEmpty()) {
                throw new PhaseFailure(phase, controllers.get(0).ssh().host(), installer.createToken(role, nodes).toString(),
                        null, "k0s printed an empty " + role + " token", true);
            }
            secrets.add(token);
            return token;
        }

        private void joinControllers() {
            BootstrapPhase phase = BootstrapPhase.JOIN_CONTROLLERS;
            for (ProvisionedNode controller : controllers.subList(1, controllers.size())) {
                if (facts.get(controller.instanceId()).running()) {
                    continue;
                }
                LOG.info("cluster {}: joining controller {}", cluster, controller.ssh().host());
                // One token per controller: a controller token may be single-use depending on k0s version.
                String token = createToken(phase, "controller", 1);
                must(phase, controller, installer.writeToken(token));
                must(phase, controller, installer.installController(true, workers.isEmpty()));
                must(phase, controller, installer.start());
                must(phase, controller, installer.removeToken());
                awaitApi(phase, controller);
                invalidate(phase, token);
            }
        }

        /**
         * Invalidates a join token once its nodes have joined (k0sctl does the same), so a copy found later on a node
         * or in a backup joins nothing; its short expiry covers a crash before this.
         */
        private void invalidate(BootstrapPhase phase, String token) {
            String id = JoinTokenId.of(token).orElseThrow(() -> new PhaseFailure(phase, controllers.get(0).ssh().host(),
                    null, null, "k0s printed a join token that is not a k0s join token", false));
            must(phase, controllers.get(0), installer.invalidateToken(id));
        }

        private void joinWorkers() {
            BootstrapPhase phase = BootstrapPhase.JOIN_WORKERS;
            List<ProvisionedNode> joining = workers.stream().filter(w -> !facts.get(w.instanceId()).running()).toList();
            if (joining.isEmpty()) {
                return;
            }
            String token = createToken(phase, "worker", joining.size());
            // Workers join in parallel, as with k0sctl; controllers join one by one for etcd's sake.
            forEachNode(phase, joining, worker -> {
                LOG.info("cluster {}: joining worker {}", cluster, worker.ssh().host());
                must(phase, worker, installer.writeToken(token));
                must(phase, worker, installer.installWorker());
                must(phase, worker, installer.start());
                must(phase, worker, installer.removeToken());
            });
            // Invalidated once the workers are Ready (VERIFY), as k0sctl waits for each node before it does: a
            // kubelet still bootstrapping needs the token. Its expiry covers a crash before then.
            workerTokens.add(token);
        }

        private String fetchAdminKubeconfig(BootstrapPhase phase) {
            String raw = must(phase, controllers.get(0), installer.adminKubeconfig()).stdout();
            secrets.add(raw);
            try {
                // The kubeconfig names the cluster's API address (S2: the load balancer's name, which survives
                // replacing any controller), so verification and every user go through it; older events without one
                // keep the first controller's address.
                String server = event.apiAddress() != null ? event.apiAddress() : externalAddress();
                String rewritten = KubeconfigRewriter.pointAt(raw, server, k0s.apiPort());
                secrets.add(rewritten);
                return rewritten;
            } catch (RuntimeException e) {
                throw new PhaseFailure(phase, controllers.get(0).ssh().host(), installer.adminKubeconfig().toString(), null,
                        "the controller did not print a usable kubeconfig", true);
            }
        }

        private void fetchKubeconfig() {
            kubeconfig = fetchAdminKubeconfig(BootstrapPhase.FETCH_KUBECONFIG);
        }

        private void verifyHealthy() {
            List<ProvisionedNode> nodeHosts = workers.isEmpty() ? controllers : workers;
            List<String> expected = nodeHosts.stream().map(n -> facts.get(n.instanceId()).hostname()).toList();
            List<HealthCheck.Workload> workloads = HealthCheck.expectedWorkloads(definition.spec().addons());
            List<String> problems = new ArrayList<>(List.of("the API did not answer"));
            try (WorkloadCluster api = probe.open(kubeconfig)) {
                boolean healthy = await(verify.readyTimeout(), () -> {
                    try {
                        List<NodeState> nodes = api.nodes();
                        List<PodState> pods = api.pods(null);
                        List<String> now = new ArrayList<>(HealthCheck.problems(expected, nodes, workloads, pods));
                        now.addAll(HealthCheck.leftovers(HealthCheck.absentWorkloads(definition.spec().addons()),
                                pods));
                        problems.clear();
                        problems.addAll(now);
                        readyNodes = nodes;
                        return now.isEmpty();
                    } catch (RuntimeException e) {
                        problems.clear();
                        problems.add("the API did not answer: " + e.getClass().getSimpleName());
                        return false;
                    }
                });
                if (!healthy) {
                    throw new PhaseFailure(BootstrapPhase.VERIFY, null, null, null, "the cluster is not healthy after "
                            + verify.readyTimeout() + ": " + String.join("; ", problems), true);
                }
                for (String token : workerTokens) {
                    invalidate(BootstrapPhase.VERIFY, token);
                }
                workerTokens.clear();
            }
        }

        private ClusterReady ready(CheckpointStore.Checkpoint checkpoint) {
            Map<String, ProvisionedNode> byHostname = new LinkedHashMap<>();
            for (ProvisionedNode node : all()) {
                byHostname.put(facts.get(node.instanceId()).hostname(), node);
            }
            List<ReadyNode> nodes = readyNodes.stream()
                    .filter(n -> byHostname.containsKey(n.name()))
                    .map(n -> new ReadyNode(n.name(), byHostname.get(n.name()).role(),
                            byHostname.get(n.name()).instanceId(), n.kubeletVersion()))
                    .toList();
            List<PhaseTiming> phases = PhasePlan.ORDER.stream()
                    .filter(checkpoint.timings()::containsKey)
                    .map(p -> new PhaseTiming(p, checkpoint.timings().get(p)))
                    .toList();
            String endpoint = KubeconfigRewriter.server(kubeconfig);
            LOG.info("cluster {}: Ready at {} with {} nodes", cluster, endpoint, nodes.size());
            return new ClusterReady(event.header().causing("bootstrap/ready", clock.instant()), endpoint,
                    management.reference(cluster), version, nodes, phases);
        }
    }
}
