package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.k0s.ClusterConfigRenderer;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.kube.WorkloadClusterProbe;
import io.k0rdent.ops.bootstrap.ssh.ShellConnector;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings k0s up on a cluster's nodes the way k0sctl does, as the explicit, resumable phases of
 * {@link PhasePlan}, and answers retirements and destruction. It turns every outcome into the event
 * that reports it; it never throws for a cluster problem.
 *
 * <p>Not thread-safe per cluster: the caller runs one call at a time for a cluster ({@code InfrastructureEventHandler}
 * holds the one lock per cluster, over a consumed record and the cluster's automatic retries alike); different
 * clusters run in parallel on the caller's threads. The phases themselves live in phase groups
 * ({@link PhaseGroups}) that {@link PhaseManager} runs in order; they keep no state between calls, so one set of
 * them serves every cluster.
 *
 * <p>Logs name phases, hosts and commands only; standard input (tokens, files), command output and
 * the kubeconfig are never logged.
 */
public final class ClusterBootstrapper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final ManagementCluster management;
    private final CheckpointStore checkpoints;
    private final BootstrapProperties.Verify verify;
    private final Clock clock;
    private final NodeCommands nodes;
    private final PhaseManager phases;
    private final NodeRetirement retirement;
    private final FailureReports failures;
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
        this.management = management;
        this.checkpoints = checkpoints;
        this.verify = properties.verify();
        this.clock = clock;
        BootstrapProperties.K0s k0s = properties.k0s();
        K0sInstaller installer = new K0sInstaller(k0s, properties.ssh().useSudo());
        this.nodes = new NodeCommands(connector, installer, properties.nodeParallelism());
        this.failures = new FailureReports(clock);
        ControllerApi controllerApi = new ControllerApi(installer, k0s, verify);
        K0sInstallation installation = new K0sInstallation(nodes, installer);
        NodeDrains drains = new NodeDrains(verify);
        PhaseGroups groups = new PhaseGroups(
                new HostDiscovery(nodes, installer, k0s),
                new K0sUpgrade(nodes, installer, installation, controllerApi, probe, k0s, verify, drains),
                installation,
                new ControllerConfiguration(nodes, installer, controllerApi, new ClusterConfigRenderer(), k0s),
                new ClusterJoining(nodes, installer, controllerApi),
                new ClusterVerification(controllerApi, probe, management, verify, clock));
        this.phases = new PhaseManager(groups, checkpoints, new DefinitionGuard(), connector, telemetry, failures, clock);
        this.retirement = new NodeRetirement(nodes, installer, probe, management, drains, clock);
    }

    @Override
    public void close() {
        nodes.close();
    }

    /** Creates or updates the cluster; returns {@link ClusterReady} or {@link BootstrapFailed}. */
    public BootstrapEvent bootstrap(InfrastructureProvisioned event) {
        long start = System.nanoTime();
        BootstrapRun run = new BootstrapRun(event, clock, verify.pollInterval());
        BootstrapEvent result = null;
        try {
            result = phases.execute(run);
            return result;
        } finally {
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
        try {
            return retirement.drain(event);
        } catch (PhaseFailure failure) {
            return failures.failed(event.header(), failure);
        }
    }

    /** Deletes the kubeconfig Secret of a cluster whose infrastructure is gone. */
    public Optional<BootstrapEvent> destroyed(InfrastructureDestroyed event) {
        String cluster = event.header().clusterName();
        try {
            SafeValues.clusterName(cluster);
            management.deleteKubeconfig(cluster);
            checkpoints.clear(cluster);
            LOG.info("cluster {}: infrastructure destroyed, kubeconfig Secret removed", cluster);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(failures.failed(event.header(), new PhaseFailure(BootstrapPhase.REMOVE_KUBECONFIG, null,
                    null, null, e.getMessage(), false)));
        } catch (RuntimeException e) {
            return Optional.of(failures.failed(event.header(), new PhaseFailure(BootstrapPhase.REMOVE_KUBECONFIG, null,
                    null, null, "cannot delete the kubeconfig Secret: " + e.getMessage(), true)));
        }
    }
}
