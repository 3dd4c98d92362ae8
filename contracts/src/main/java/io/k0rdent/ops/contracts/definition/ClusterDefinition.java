package io.k0rdent.ops.contracts.definition;

import java.util.Objects;

/**
 * A cluster definition exactly as users write it in {@code clusters/*.yaml}
 * ({@code apiVersion: k0rdent.io/v1alpha1}, {@code kind: Cluster}).
 *
 * <p>Instances are only built from documents that passed validation, so no component is null;
 * optional fields are represented by their defaults (empty maps, {@code false}).
 */
public record ClusterDefinition(String apiVersion, String kind, ClusterMetadata metadata, ClusterSpec spec) {

    public static final String API_VERSION = "k0rdent.io/v1alpha1";
    public static final String KIND = "Cluster";

    public ClusterDefinition {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
    }

    /** The cluster name, which is also the partition key of every event about this cluster. */
    public String name() {
        return metadata.name();
    }
}
