package io.k0rdent.ops.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML files: Kubernetes manifests through fabric8's model (so a typo in a field of a known kind
 * still parses, but a wrong type fails), everything else as a plain tree.
 */
public final class ManifestFiles {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private ManifestFiles() {
    }

    /**
     * Every object in a (possibly multi-document) manifest file. Kinds fabric8 has no model for, such as
     * Strimzi's KafkaTopic, come back as {@code GenericKubernetesResource}.
     */
    public static List<HasMetadata> resources(Path file) {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document : documents(file)) {
            Object parsed = KUBERNETES.unmarshal(document.toString());
            if (parsed instanceof KubernetesList list) {
                resources.addAll(list.getItems());
            } else if (parsed instanceof HasMetadata resource) {
                resources.add(resource);
            } else {
                throw new IllegalArgumentException(file + ": a document is not a Kubernetes object");
            }
        }
        return resources;
    }

    /** The non-empty YAML documents of a file, as trees. */
    public static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> result = new ArrayList<>();
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isMissingNode() && !document.isEmpty()) {
                    result.add(document);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A single-document YAML file (a kustomization, an application.yml) as a tree. */
    public static JsonNode tree(Path file) {
        List<JsonNode> documents = documents(file);
        return documents.isEmpty() ? YAML.createObjectNode() : documents.get(0);
    }

    /** YAML text (a ConfigMap's application.yml) as a tree. */
    public static JsonNode tree(String yaml) {
        try {
            JsonNode node = YAML.readTree(yaml);
            return node == null || node.isMissingNode() ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML", e);
        }
    }
}
