package io.k0rdent.ops.notifier.commitstatus;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import java.util.Locale;
import java.util.Optional;

/**
 * Which commit status an event asks for: pending when a definition is accepted (or its deletion requested) and
 * while infrastructure and bootstrap are under way, success when the cluster is Ready or its deletion finished,
 * failure when the definition is rejected or a stage fails. Events that change nothing for the person who pushed
 * (drift, node retirement, notifications) ask for none.
 */
public final class CommitStatusPlanner {

    /** A definition was accepted or its deletion requested. */
    static final int RANK_ACCEPTED = 1;
    /** Infrastructure is up; bootstrap runs. */
    static final int RANK_PROVISIONED = 2;
    /** The flow of this generation ended (Ready, failed, rejected, destroyed). */
    static final int RANK_FINAL = 3;

    /** The status {@code event} asks for; empty when it asks for none or names no commit. */
    public Optional<PlannedStatus> plan(ClusterEvent event) {
        var header = event.header();
        GitSource git = gitSource(event);
        String commit = header.gitCommit() != null ? header.gitCommit() : git == null ? null : git.commit();
        if (commit == null || commit.isBlank()) {
            return Optional.empty();
        }
        Step step = step(event);
        if (step == null) {
            return Optional.empty();
        }
        String cluster = header.clusterName();
        if (cluster.isBlank() && git != null && git.path() != null) {
            cluster = git.path();
        }
        return Optional.of(new PlannedStatus(cluster, commit, git == null ? null : git.repository(),
                header.generation(), step.rank, step.state, step.description));
    }

    private record Step(int rank, CommitState state, String description) {
    }

    private static Step step(ClusterEvent event) {
        if (event instanceof ClusterDefinitionCreated) {
            return new Step(RANK_ACCEPTED, CommitState.PENDING, "Definition accepted; provisioning");
        }
        if (event instanceof ClusterDefinitionUpdated) {
            return new Step(RANK_ACCEPTED, CommitState.PENDING, "Change accepted; applying");
        }
        if (event instanceof ClusterDefinitionDeleted) {
            return new Step(RANK_ACCEPTED, CommitState.PENDING, "Deletion accepted; removing infrastructure");
        }
        if (event instanceof InfrastructureProvisioned) {
            return new Step(RANK_PROVISIONED, CommitState.PENDING, "Infrastructure ready; bootstrapping k0s");
        }
        if (event instanceof ClusterReady ready) {
            return new Step(RANK_FINAL, CommitState.SUCCESS, "Cluster Ready (k0s " + ready.k0sVersion() + ")");
        }
        if (event instanceof InfrastructureDestroyed) {
            return new Step(RANK_FINAL, CommitState.SUCCESS, "Cluster deleted; all infrastructure removed");
        }
        if (event instanceof ClusterDefinitionRejected rejected) {
            int count = rejected.problems().size();
            String first = count == 0 ? "" : ": " + rejected.problems().get(0).message();
            return new Step(RANK_FINAL, CommitState.FAILURE,
                    "Rejected, " + count + (count == 1 ? " problem" : " problems") + first);
        }
        if (event instanceof ProvisioningFailed failed) {
            return new Step(RANK_FINAL, CommitState.FAILURE, "Provisioning failed ("
                    + failed.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
                    + (failed.errorCode() == null ? "" : ": " + failed.errorCode()));
        }
        if (event instanceof BootstrapFailed failed) {
            return new Step(RANK_FINAL, CommitState.FAILURE, "Bootstrap failed at " + failed.phase()
                    + (failed.message() == null ? "" : ": " + failed.message()));
        }
        return null;
    }

    private static GitSource gitSource(ClusterEvent event) {
        if (event instanceof ClusterDefinitionCreated e) {
            return e.git();
        }
        if (event instanceof ClusterDefinitionUpdated e) {
            return e.git();
        }
        if (event instanceof ClusterDefinitionDeleted e) {
            return e.git();
        }
        if (event instanceof ClusterDefinitionRejected e) {
            return e.git();
        }
        return null;
    }
}
