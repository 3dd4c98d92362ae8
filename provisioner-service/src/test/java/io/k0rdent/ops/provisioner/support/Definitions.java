package io.k0rdent.ops.provisioner.support;

import io.k0rdent.ops.contracts.definition.Addons;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterMetadata;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.K0sSpec;
import io.k0rdent.ops.contracts.definition.Networking;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.definition.Nodes;
import io.k0rdent.ops.contracts.definition.SshSpec;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.GitSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Cluster definitions and definition events for tests, with deterministic ids per (cluster, generation). */
public final class Definitions {

    private Definitions() {
    }

    public static ClusterDefinition cluster(String name, boolean publicIp, int controllers, int workers,
                                            String workerType, String k0sVersion) {
        return new ClusterDefinition(ClusterDefinition.API_VERSION, ClusterDefinition.KIND,
                new ClusterMetadata(name, Map.of("team", "platform"), Map.of()),
                new ClusterSpec("us-east-1", new Networking("10.20.0.0/16", publicIp),
                        new Nodes(new NodePool(controllers, "t3.medium"), new NodePool(workers, workerType)),
                        new K0sSpec(k0sVersion), new SshSpec("k0rdent"), Addons.NONE, false));
    }

    public static ClusterDefinition cluster(String name, boolean publicIp, int workers) {
        return cluster(name, publicIp, 1, workers, "t3.large", "1.28.3+k0s.0");
    }

    public static EventHeader header(String cluster, long generation) {
        return new EventHeader(EventIds.fromParts("test", cluster, Long.toString(generation)), cluster, generation,
                "commit-" + generation, null, Instant.parse("2026-11-25T09:30:00Z"), Map.of("team", "platform"),
                null);
    }

    private static GitSource git(String cluster, long generation) {
        return new GitSource("https://git.example.com/clusters.git", "main", "clusters/" + cluster + ".yaml", null,
                "commit-" + generation, List.of("commit-" + generation), "change " + generation);
    }

    public static ClusterDefinitionCreated created(ClusterDefinition definition, long generation) {
        return new ClusterDefinitionCreated(header(definition.name(), generation), git(definition.name(), generation),
                definition);
    }

    public static ClusterDefinitionUpdated updated(ClusterDefinition definition, long generation) {
        return new ClusterDefinitionUpdated(header(definition.name(), generation), git(definition.name(), generation),
                definition, List.of());
    }

    public static ClusterDefinitionDeleted deleted(ClusterDefinition definition, long generation) {
        return new ClusterDefinitionDeleted(header(definition.name(), generation), git(definition.name(), generation),
                definition);
    }
}
