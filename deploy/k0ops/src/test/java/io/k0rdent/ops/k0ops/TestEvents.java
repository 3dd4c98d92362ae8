package io.k0rdent.ops.k0ops;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.event.SampleEvents;
import io.k0rdent.ops.contracts.event.SecretReference;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events of chosen clusters at chosen times, for the inspection commands' tests. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private TestEvents() {
    }

    public static EventHeader header(String cluster, long generation, long secondsAfterT0) {
        return new EventHeader(UUID.randomUUID(), cluster, generation, "abc123", null,
                T0.plusSeconds(secondsAfterT0), Map.of("team", "eng"), null);
    }

    private static GitSource git(String cluster) {
        return new GitSource("file:///gitops.git", "main", "clusters/" + cluster + ".yaml", null, "abc123",
                List.of("abc123"), "add " + cluster);
    }

    public static ClusterDefinitionCreated created(String cluster, long at) {
        return new ClusterDefinitionCreated(header(cluster, 1, at), git(cluster), SampleEvents.definition());
    }

    public static ClusterDefinitionRejected rejected(String cluster, long generation, long at) {
        return new ClusterDefinitionRejected(header(cluster, generation, at), git(cluster), List.of(
                new ValidationProblem("clusters/" + cluster + ".yaml", 4, 9, "$.spec.nodes.controllers.count",
                        Rule.CONTROLLER_COUNT, "must be odd")));
    }

    public static InfrastructureProvisioned provisioned(String cluster, long at) {
        return new InfrastructureProvisioned(header(cluster, 1, at), SampleEvents.definition(), "us-east-1",
                "vpc-1", List.of());
    }

    public static ProvisioningFailed provisioningFailed(String cluster, long at) {
        return new ProvisioningFailed(header(cluster, 1, at), ProvisioningFailed.FailureReason.QUOTA_EXCEEDED,
                "InstanceLimitExceeded", "RunInstances worker/0", "quota", false);
    }

    public static ClusterReady ready(String cluster, long at) {
        return new ClusterReady(header(cluster, 1, at), "https://10.0.0.1:6443",
                new SecretReference("k0rdent", cluster + "-kubeconfig"), "1.28.3+k0s.0", List.of(), List.of());
    }

    public static BootstrapFailed bootstrapFailed(String cluster, long at) {
        return new BootstrapFailed(header(cluster, 1, at), BootstrapPhase.JOIN_WORKERS, "10.0.0.5", "k0s install",
                "timeout", "worker did not join", true);
    }

    public static NotificationSent notified(String cluster, long at) {
        return new NotificationSent(header(cluster, 1, at), UUID.randomUUID(), "x", Channel.SLACK, "team", 1);
    }
}
