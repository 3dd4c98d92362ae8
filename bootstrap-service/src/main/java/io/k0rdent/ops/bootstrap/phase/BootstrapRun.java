package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.RemoteCommand;
import io.k0rdent.ops.bootstrap.kube.NodeState;
import io.k0rdent.ops.bootstrap.ssh.RemoteShell;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One attempt at bringing one cluster to its definition: what the phases learn and leave for the later ones. The
 * phase groups hold no state of their own, so one set of them serves every cluster at once.
 */
final class BootstrapRun {

    private final InfrastructureProvisioned event;
    private final String cluster;
    private final ClusterDefinition definition;
    private final List<ProvisionedNode> controllers;
    private final List<ProvisionedNode> workers;
    private final Clock clock;
    private final Duration pollInterval;
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

    BootstrapRun(InfrastructureProvisioned event, Clock clock, Duration pollInterval) {
        this.event = event;
        this.cluster = event.header().clusterName();
        this.definition = event.definition();
        this.controllers = event.nodes().stream().filter(n -> n.role() == NodeRole.CONTROLLER)
                .sorted(Comparator.comparingInt(ProvisionedNode::slot)).toList();
        this.workers = event.nodes().stream().filter(n -> n.role() == NodeRole.WORKER)
                .sorted(Comparator.comparingInt(ProvisionedNode::slot)).toList();
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    InfrastructureProvisioned event() {
        return event;
    }

    String cluster() {
        return cluster;
    }

    ClusterDefinition definition() {
        return definition;
    }

    /** Controllers by slot; the first one initializes the cluster and hands out tokens and the kubeconfig. */
    List<ProvisionedNode> controllers() {
        return controllers;
    }

    List<ProvisionedNode> workers() {
        return workers;
    }

    List<ProvisionedNode> all() {
        List<ProvisionedNode> all = new ArrayList<>(controllers);
        all.addAll(workers);
        return all;
    }

    List<String> secrets() {
        return secrets;
    }

    void addSecret(String secret) {
        secrets.add(secret);
    }

    CheckpointStore.Checkpoint checkpoint() {
        return checkpoint;
    }

    void checkpoint(CheckpointStore.Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** The k0s version of the definition; set once the definition passed its checks. */
    String version() {
        return version;
    }

    void version(String version) {
        this.version = version;
    }

    String kubeconfig() {
        return kubeconfig;
    }

    void kubeconfig(String kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    List<String> workerTokens() {
        return workerTokens;
    }

    List<NodeState> readyNodes() {
        return readyNodes;
    }

    void readyNodes(List<NodeState> readyNodes) {
        this.readyNodes = readyNodes;
    }

    NodeFacts facts(ProvisionedNode node) {
        return facts.get(node.instanceId());
    }

    void facts(ProvisionedNode node, NodeFacts nodeFacts) {
        facts.put(node.instanceId(), nodeFacts);
    }

    /** Remembers whether the facts just gathered show k0s on any node (see {@link #updatesExistingCluster()}). */
    void factsGathered() {
        k0sFoundAtStart = facts.values().stream().anyMatch(f -> f.installedVersion() != null);
    }

    /**
     * True when the facts gathered at the start of this run showed k0s already on a node: this run updates a
     * cluster rather than creating it. Decided from the gathered facts, not the current ones, which this run's
     * own INSTALL_K0S updates (a new cluster would otherwise count as an upgrade).
     */
    boolean updatesExistingCluster() {
        return k0sFoundAtStart;
    }

    void connected(ProvisionedNode node, RemoteShell shell) {
        shells.put(node.instanceId(), shell);
    }

    RemoteShell shell(ProvisionedNode node) {
        return shells.get(node.instanceId());
    }

    void closeShells() {
        shells.values().forEach(RemoteShell::close);
    }

    CommandResult must(BootstrapPhase phase, ProvisionedNode node, RemoteCommand command) {
        return NodeCommands.mustRun(phase, shell(node), node, command, secrets, true);
    }

    CommandResult run(BootstrapPhase phase, ProvisionedNode node, RemoteCommand command) {
        return NodeCommands.run(phase, shell(node), node, command);
    }

    String externalAddress() {
        ProvisionedNode first = controllers.get(0);
        if (first.publicAddress() != null) {
            return first.publicAddress();
        }
        return first.privateAddress() != null ? first.privateAddress() : first.ssh().host();
    }

    /** Waits until {@code condition} holds; false when {@code timeout} passed first. */
    boolean await(Duration timeout, BooleanSupplier condition) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (clock.instant().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
