package io.k0rdent.ops.contracts.definition;

import java.util.Map;

/** {@code metadata}: the cluster name (a DNS-1123 label) plus free-form labels and annotations. */
public record ClusterMetadata(String name, Map<String, String> labels, Map<String, String> annotations) {

    public ClusterMetadata {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
