package io.k0rdent.ops.notifier;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.PhaseTiming;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.SecretReference;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.time.Duration;
import java.time.Instant;
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

    /** A copy of {@code header} with another time, same id. */
    public static EventHeader at(EventHeader header, Instant at) {
        return new EventHeader(header.eventId(), header.clusterName(), header.generation(), header.gitCommit(),
                header.causationId(), at, header.labels(), header.initiator());
    }
}
