package io.k0rdent.ops.notifier;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.PhaseTiming;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.SecretReference;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Hand-made events for tests. */
public final class TestEvents {

    public static final String COMMIT = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    public static final Instant T0 = Instant.parse("2026-11-25T09:30:00Z");
    public static final Initiator ADA = new Initiator("Ada Lovelace", "ada@example.com");

    private TestEvents() {
    }

    public static EventHeader header(String cluster, Map<String, String> labels, Initiator initiator, Instant at) {
        return new EventHeader(UUID.randomUUID(), cluster, 3, COMMIT, UUID.randomUUID(), at, labels, initiator);
    }

    public static EventHeader header(String cluster) {
        return header(cluster, Map.of("team", "engineering", "environment", "development"), ADA, T0);
    }

    public static ClusterReady ready(String cluster) {
        return ready(header(cluster));
    }

    public static ClusterReady ready(EventHeader header) {
        return new ClusterReady(header, "https://203.0.113.10:6443",
                new SecretReference("k0rdent-system", header.clusterName() + "-kubeconfig"), "1.28.3+k0s.0", List.of(),
                List.of(new PhaseTiming(BootstrapPhase.INSTALL_K0S, Duration.ofSeconds(41)),
                        new PhaseTiming(BootstrapPhase.VERIFY, Duration.ofSeconds(80))));
    }

    public static BootstrapFailed bootstrapFailed(EventHeader header) {
        return new BootstrapFailed(header, BootstrapPhase.JOIN_WORKERS, "10.0.2.20",
                "k0s install worker --token-file /etc/k0s/join-token",
                "Error: failed to join: context deadline exceeded", "worker/1 did not join within 300s", true);
    }

    public static ProvisioningFailed provisioningFailed(EventHeader header) {
        return new ProvisioningFailed(header, ProvisioningFailed.FailureReason.INSUFFICIENT_CAPACITY,
                "InsufficientInstanceCapacity", "RunInstances worker/2", "no t3.large capacity", true);
    }

    public static InfrastructureProvisioned provisioned(EventHeader header) {
        return new InfrastructureProvisioned(header, null, "us-east-1", "vpc-1", List.of());
    }

    public static GitSource git() {
        return new GitSource("https://git.example.com/platform/clusters.git", "main", "clusters/dev.yaml", null,
                COMMIT, List.of(COMMIT), "Scale dev to 3 workers");
    }

    public static ClusterDefinitionCreated created(EventHeader header) {
        return new ClusterDefinitionCreated(header, git(), null);
    }

    public static ClusterDefinitionRejected rejected(EventHeader header) {
        Rule rule = Rule.values()[0];
        return new ClusterDefinitionRejected(header, git(), List.of(
                new ValidationProblem("clusters/dev.yaml", 14, 14, "$.spec.nodes.controllers.count", rule,
                        "controllers.count must be odd")));
    }

    /** {@link #forcePushRollback()}: the repository, the two commits and the file. */
    public static final String ROLLBACK_REPOSITORY = "https://git.example.com/platform/clusters.git";
    public static final String COMMIT_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public static final String COMMIT_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String ROLLBACK_FILE = "clusters/c.yaml";
    private static final Instant COMMIT_A_TIME = T0;
    private static final Instant COMMIT_B_TIME = T0.plusSeconds(600);

    /**
     * The eight events of a force-push rollback of cluster {@code c}: created at commit A (generation 1), provisioned,
     * ready; deleted at commit B (generation 2), destroyed; {@code main} force-pushed back to A, so created again at A
     * (generation 3: same commit, file, cluster and content, new ids), provisioned, ready. Ids are made the way the
     * producers make them: the gitwatcher's from repository, branch, commit, file, cluster and generation;
     * everything downstream derived from its cause.
     */
    public static List<ClusterEvent> forcePushRollback() {
        List<ClusterEvent> events = new ArrayList<>();
        // Round 1: created at A (generation 1), provisioned, ready.
        EventHeader created1 = gitHeader(COMMIT_A, 1, COMMIT_A_TIME);
        events.add(new ClusterDefinitionCreated(created1, git(COMMIT_A), null));
        EventHeader provisioned1 = created1.causing("provisioned", COMMIT_A_TIME.plusSeconds(120));
        events.add(provisioned(provisioned1));
        events.add(ready(provisioned1.causing("bootstrap/ready", COMMIT_A_TIME.plusSeconds(300))));
        // Deleted at B (generation 2), destroyed.
        EventHeader deleted2 = gitHeader(COMMIT_B, 2, COMMIT_B_TIME);
        events.add(new ClusterDefinitionDeleted(deleted2, git(COMMIT_B), null));
        events.add(new InfrastructureDestroyed(deleted2.causing("destroyed", COMMIT_B_TIME.plusSeconds(90)),
                "us-east-1", List.of()));
        // Force-push back to A: created again at A with generation 3. The gitwatcher stamps its events with the
        // commit's time, so this one is as old as the first round's.
        Instant rolledBackAt = COMMIT_B_TIME.plusSeconds(900);
        EventHeader created3 = gitHeader(COMMIT_A, 3, COMMIT_A_TIME);
        events.add(new ClusterDefinitionCreated(created3, git(COMMIT_A), null));
        EventHeader provisioned3 = created3.causing("provisioned", rolledBackAt.plusSeconds(120));
        events.add(provisioned(provisioned3));
        events.add(ready(provisioned3.causing("bootstrap/ready", rolledBackAt.plusSeconds(300))));
        return events;
    }

    private static EventHeader gitHeader(String commit, long generation, Instant at) {
        UUID id = EventIds.fromParts(ROLLBACK_REPOSITORY, "main", commit, ROLLBACK_FILE, "c",
                Long.toString(generation));
        return new EventHeader(id, "c", generation, commit, null, at, Map.of("team", "engineering"), ADA);
    }

    private static GitSource git(String commit) {
        return new GitSource(ROLLBACK_REPOSITORY, "main", ROLLBACK_FILE, null, commit, List.of(commit),
                "clusters: c");
    }

    /** A copy of {@code header} with another time, same id. */
    public static EventHeader at(EventHeader header, Instant at) {
        return new EventHeader(header.eventId(), header.clusterName(), header.generation(), header.gitCommit(),
                header.causationId(), at, header.labels(), header.initiator());
    }
}
