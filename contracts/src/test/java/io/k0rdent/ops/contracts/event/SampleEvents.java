package io.k0rdent.ops.contracts.event;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.k0rdent.ops.contracts.definition.Addon;
import io.k0rdent.ops.contracts.definition.Addons;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterMetadata;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.K0sSpec;
import io.k0rdent.ops.contracts.definition.Networking;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.definition.Nodes;
import io.k0rdent.ops.contracts.definition.SshSpec;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fixed, fully populated example of every event type: the source of the golden files. */
public final class SampleEvents {

    public static final Instant AT = Instant.parse("2026-11-25T09:30:00Z");
    public static final String COMMIT = "9fceb02d0ae598e95dc970b74767f19372d61af8";

    private SampleEvents() {
    }

    public static ClusterDefinition definition() {
        return new ClusterDefinition(ClusterDefinition.API_VERSION, ClusterDefinition.KIND,
                new ClusterMetadata("dev-cluster-01",
                        Map.of("environment", "development", "team", "engineering"),
                        Map.of("k0rdent.io/owner", "platform-team")),
                new ClusterSpec("us-east-1",
                        new Networking("10.0.0.0/16", true),
                        new Nodes(new NodePool(1, "t3.medium"), new NodePool(3, "t3.large")),
                        new K0sSpec("1.28.3+k0s.0"),
                        new SshSpec("k0rdent"),
                        new Addons(new Addon(true), new Addon(true)),
                        false));
    }

    private static EventHeader header(String id, String causation) {
        return new EventHeader(UUID.fromString(id), "dev-cluster-01", 3, COMMIT,
                causation == null ? null : UUID.fromString(causation), AT,
                Map.of("environment", "development", "team", "engineering"),
                new Initiator("Ada Lovelace", "ada@example.com"));
    }

    /** A person's request outside Git: no commit, no cause. */
    private static EventHeader control(String id) {
        return new EventHeader(UUID.fromString(id), "dev-cluster-01", 3, null, null, AT,
                Map.of("environment", "development", "team", "engineering"),
                new Initiator("Ada Lovelace", "ada@example.com"));
    }

    private static GitSource git() {
        return new GitSource("https://git.example.com/platform/clusters.git", "main",
                "clusters/dev-cluster-01.yaml", null, COMMIT,
                List.of("1b2e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f", COMMIT), "Scale dev-cluster-01 to 3 workers");
    }

    private static ProvisionedNode node(String id, NodeRole role, int slot, String az, String ip) {
        return new ProvisionedNode(id, role, slot, role == NodeRole.CONTROLLER ? "t3.medium" : "t3.large", az, ip,
                "203.0.113." + (10 + slot + (role == NodeRole.WORKER ? 10 : 0)),
                new SshEndpoint(ip, 22, "ubuntu", "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"));
    }

    /** The example for {@code type}. */
    public static ClusterEvent of(EventType type) {
        String def = "3f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f";
        String prov = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
        String ready = "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e";
        List<ProvisionedNode> nodes = List.of(
                node("i-0a1b2c3d4e5f60001", NodeRole.CONTROLLER, 0, "us-east-1a", "10.0.1.10"),
                node("i-0a1b2c3d4e5f60002", NodeRole.WORKER, 0, "us-east-1a", "10.0.1.20"),
                node("i-0a1b2c3d4e5f60003", NodeRole.WORKER, 1, "us-east-1b", "10.0.2.20"),
                node("i-0a1b2c3d4e5f60004", NodeRole.WORKER, 2, "us-east-1a", "10.0.1.21"));
        return switch (type) {
            case CLUSTER_DEFINITION_CREATED -> new ClusterDefinitionCreated(header(def, null), git(), definition());
            case CLUSTER_DEFINITION_UPDATED -> new ClusterDefinitionUpdated(header(def, null), git(), definition(),
                    List.of(new FieldChange("$.spec.nodes.workers.count", IntNode.valueOf(2), IntNode.valueOf(3)),
                            new FieldChange("$.metadata.labels.team", null, TextNode.valueOf("engineering"))));
            case CLUSTER_DEFINITION_DELETED -> new ClusterDefinitionDeleted(header(def, null), git(), definition());
            case CLUSTER_DEFINITION_REJECTED -> new ClusterDefinitionRejected(header(def, null), git(), List.of(
                    new ValidationProblem("clusters/dev-cluster-01.yaml", 14, 14, "$.spec.nodes.controllers.count",
                            Rule.CONTROLLER_COUNT, "controllers.count must be odd (etcd needs a majority): got 2"),
                    new ValidationProblem("clusters/dev-cluster-01.yaml", 9, 14, "$.spec.networking.vpcCidr",
                            Rule.IMMUTABLE_FIELD, "spec.networking.vpcCidr cannot change: 10.0.0.0/16 -> 10.1.0.0/16")));
            case INFRASTRUCTURE_PROVISIONED -> new InfrastructureProvisioned(header(prov, def), definition(),
                    "us-east-1", "vpc-0123456789abcdef0", nodes);
            case NODES_RETIREMENT_REQUESTED -> new NodesRetirementRequested(header(prov, def), nodes.subList(3, 4),
                    NodesRetirementRequested.RetirementReason.SCALE_IN);
            case PROVISIONING_FAILED -> new ProvisioningFailed(header(prov, def),
                    ProvisioningFailed.FailureReason.INSUFFICIENT_CAPACITY, "InsufficientInstanceCapacity",
                    "RunInstances worker/2", "We currently do not have sufficient t3.large capacity in us-east-1b.",
                    true);
            case INFRASTRUCTURE_DESTROYED -> new InfrastructureDestroyed(header(prov, def), "us-east-1",
                    List.of("i-0a1b2c3d4e5f60001", "sg-0123456789abcdef0", "subnet-0123456789abcdef0",
                            "vpc-0123456789abcdef0"));
            case DRIFT_DETECTED -> new DriftDetected(header(prov, null), DriftDetected.DriftKind.INSTANCE_MISSING,
                    "i-0a1b2c3d4e5f60003", "worker/1 was terminated outside Git", "replaced");
            case CLUSTER_READY -> new ClusterReady(header(ready, prov), "https://203.0.113.10:6443",
                    new SecretReference("k0rdent-system", "dev-cluster-01-kubeconfig"), "1.28.3+k0s.0",
                    List.of(new ReadyNode("ip-10-0-1-20", NodeRole.WORKER, "i-0a1b2c3d4e5f60002", "v1.28.3+k0s")),
                    List.of(new PhaseTiming(BootstrapPhase.INSTALL_K0S, Duration.ofMillis(41250)),
                            new PhaseTiming(BootstrapPhase.VERIFY, Duration.ofSeconds(12))));
            case BOOTSTRAP_FAILED -> new BootstrapFailed(header(ready, prov), BootstrapPhase.JOIN_WORKERS,
                    "10.0.2.20", "k0s install worker --token-file /etc/k0s/join-token",
                    "Error: failed to join: context deadline exceeded", "worker/1 did not join within 300s", true);
            case NODES_DRAINED -> new NodesDrained(header(ready, prov), List.of("i-0a1b2c3d4e5f60004"));
            case NOTIFICATION_SENT -> new NotificationSent(header("c1d2e3f4-a5b6-4c7d-8e9f-1a2b3c4d5e6f", ready),
                    UUID.fromString(ready), EventType.CLUSTER_READY.ceType(), Channel.SLACK, "team-engineering", 1);
            case NOTIFICATION_FAILED -> new NotificationFailed(header("c1d2e3f4-a5b6-4c7d-8e9f-1a2b3c4d5e6f", ready),
                    UUID.fromString(ready), EventType.CLUSTER_READY.ceType(), Channel.EMAIL, "owner-email",
                    "550 5.1.1 mailbox unavailable", true);
            case CLUSTER_SUSPENDED -> new ClusterSuspended(control("d1e2f3a4-b5c6-4d7e-8f9a-2b3c4d5e6f70"),
                    "fixing the CNI by hand");
            case CLUSTER_RESUMED -> new ClusterResumed(control("d1e2f3a4-b5c6-4d7e-8f9a-2b3c4d5e6f71"), null);
            case RECONCILE_REQUESTED -> new ReconcileRequested(control("d1e2f3a4-b5c6-4d7e-8f9a-2b3c4d5e6f72"),
                    "retry after the quota increase");
        };
    }

    /** The golden file name of a type, e.g. {@code cluster.bootstrap.ready.v1.json}. */
    public static String goldenFile(EventType type) {
        return type.ceType().substring(EventType.TYPE_PREFIX.length()) + ".json";
    }
}
