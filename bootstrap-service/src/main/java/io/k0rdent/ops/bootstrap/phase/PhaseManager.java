package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.ssh.ShellConnector;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt through the phases of {@link PhasePlan} that are left, the way k0sctl's phase manager does:
 * each phase in a span and timed, completed ones checkpointed so a retry resumes after them.
 */
final class PhaseManager {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final PhaseGroups groups;
    private final CheckpointStore checkpoints;
    private final DefinitionGuard guard;
    private final ShellConnector connector;
    private final EventTelemetry telemetry;
    private final FailureReports failures;
    private final Clock clock;

    PhaseManager(PhaseGroups groups, CheckpointStore checkpoints, DefinitionGuard guard, ShellConnector connector,
                 EventTelemetry telemetry, FailureReports failures, Clock clock) {
        this.groups = groups;
        this.checkpoints = checkpoints;
        this.guard = guard;
        this.connector = connector;
        this.telemetry = telemetry;
        this.failures = failures;
        this.clock = clock;
    }

    /** Brings the run's cluster to its definition; returns {@code ClusterReady} or {@code BootstrapFailed}. */
    BootstrapEvent execute(BootstrapRun run) {
        String cluster = run.cluster();
        run.checkpoint(checkpoints.get(cluster, run.event().header().generation()));
        CheckpointStore.Checkpoint checkpoint = run.checkpoint();
        BootstrapPhase current = BootstrapPhase.CONNECT;
        try {
            try {
                guard.check(cluster, run.definition(), run.event().nodes());
                if (run.controllers().isEmpty()) {
                    throw new IllegalArgumentException("the event lists no controller");
                }
                // Named keys (issue 15 item 3): a key pair the service does not hold fails here, naming it,
                // instead of as a login timeout on every node.
                Optional<String> missingKey = connector.missingKey(run.definition().spec().ssh().keyName());
                if (missingKey.isPresent()) {
                    throw new IllegalArgumentException(missingKey.get());
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new PhaseFailure(BootstrapPhase.CONNECT, null, null, null,
                        "rejected before any command ran: " + e.getMessage(), false);
            }
            run.version(run.definition().spec().k0s().version());
            List<BootstrapPhase> plan = PhasePlan.remaining(checkpoint.completed());
            if (!checkpoint.completed().isEmpty()) {
                LOG.info("cluster {}: resuming generation {} at {}", cluster, run.event().header().generation(),
                        plan.stream().filter(p -> !PhasePlan.READ_ONLY.contains(p)).findFirst().orElse(null));
            }
            for (BootstrapPhase phase : plan) {
                current = phase;
                Instant started = clock.instant();
                observedPhase(run, phase);
                Duration took = Duration.between(started, clock.instant());
                checkpoint.completed().add(phase);
                checkpoint.timings().put(phase, took);
            }
            checkpoints.clear(cluster);
            return groups.verification().ready(run);
        } catch (PhaseFailure failure) {
            checkpoints.save(cluster, checkpoint);
            return failures.failed(run.event().header(), failure);
        } catch (RuntimeException e) {
            checkpoints.save(cluster, checkpoint);
            return failures.failed(run.event().header(), new PhaseFailure(current, null, null, null,
                    e.getClass().getSimpleName() + ": " + Redactor.redact(String.valueOf(e.getMessage()), run.secrets()),
                    true));
        } finally {
            run.closeShells();
        }
    }

    /**
     * Runs one phase in a span of its own ({@code bootstrap phase <PHASE>}, child of the record's consumer span)
     * and times it as {@code k0rdent.ssh.phase.duration}.
     */
    private void observedPhase(BootstrapRun run, BootstrapPhase phase) {
        long start = System.nanoTime();
        boolean success = false;
        try {
            telemetry.inSpan("bootstrap phase " + phase, () -> runPhase(run, phase));
            success = true;
        } finally {
            Timer.builder(MetricNames.SSH_PHASE_DURATION)
                    .tags("phase", phase.name(), "outcome", success ? "success" : "failure")
                    .publishPercentileHistogram()
                    .register(telemetry.meters())
                    .record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void runPhase(BootstrapRun run, BootstrapPhase phase) {
        LOG.info("cluster {}: {}", run.cluster(), phase);
        groups.step(phase).accept(run);
    }
}
