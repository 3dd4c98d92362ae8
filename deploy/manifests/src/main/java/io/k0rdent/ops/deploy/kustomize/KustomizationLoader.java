package io.k0rdent.ops.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small stand-in for {@code kustomize build}, enough to check our own trees without the binary.
 *
 * <p>It follows {@code resources:} recursively (files and directories) and {@code components:} (directories
 * whose kustomization is {@code kind: Component}; their resources join the including kustomization's, and
 * their patches may target its resources), creates the ConfigMaps of {@code configMapGenerator:} (without
 * kustomize's hash suffix, since references use the plain name; with {@code options.labels}) and merges
 * {@code behavior: merge} generators into them. {@code patches:} are checked, not applied:
 * the file must exist and its target (kind and name) must be among the resources the kustomization
 * reaches. Implementing strategic merge would mean re-implementing kustomize, and what we want to catch
 * is a patch that silently matches nothing.
 */
public final class KustomizationLoader {

    private static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    /** Older spellings kustomize still reads; ours use {@code patches:} so there is one kind of patch to check. */
    private static final Set<String> DEPRECATED = Set.of("patchesStrategicMerge", "patchesJson6902", "bases");

    /** Kinds a kustomization's {@code namespace:} leaves alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");

    private final Path root;

    /** @param root the repository root; messages name files relative to it */
    public KustomizationLoader(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Rendering load(Path directory) {
        List<HasMetadata> resources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        load(directory.toAbsolutePath().normalize(), resources, problems, false);
        return new Rendering(resources, problems);
    }

    /**
     * @param component whether {@code directory} was listed under {@code components:}: then it must be a
     *                  {@code kind: Component}, and it adds to (and patches) {@code resources}, the including
     *                  kustomization's own list, instead of contributing a separate set
     */
    private void load(Path directory, List<HasMetadata> resources, List<String> problems, boolean component) {
        Optional<Path> file = FILE_NAMES.stream().map(directory::resolve).filter(Files::isRegularFile).findFirst();
        if (file.isEmpty()) {
            problems.add(shown(directory) + ": no kustomization.yaml");
            return;
        }
        Path kustomization = file.get();
        JsonNode tree = ManifestFiles.tree(kustomization);
        DEPRECATED.stream().filter(tree::has).sorted().forEach(field ->
                problems.add(shown(kustomization) + ": " + field + " is deprecated; use resources and patches"));
        // kustomize refuses either mix-up, so a tree that only passes here would still fail to apply.
        boolean isComponent = "Component".equals(tree.path("kind").asText());
        if (component && !isComponent) {
            problems.add(shown(kustomization) + ": listed under components but is not a kind: Component");
        } else if (!component && isComponent) {
            problems.add(shown(kustomization) + ": a kind: Component must be listed under components, not resources");
        }

        // Only what this kustomization reaches is a valid patch target, so collect it separately first.
        // A component works on the resources of the kustomization that includes it.
        List<HasMetadata> own = component ? resources : new ArrayList<>();
        for (JsonNode entry : tree.path("resources")) {
            String name = entry.asText();
            Path target = directory.resolve(name).normalize();
            if (name.contains("://")) {
                problems.add(shown(kustomization) + ": resources lists " + name + ", a remote resource; vendor it instead");
            } else if (Files.isDirectory(target)) {
                load(target, own, problems, false);
            } else if (Files.isRegularFile(target)) {
                own.addAll(ManifestFiles.resources(target));
            } else {
                problems.add(shown(kustomization) + ": resources lists " + name + ", which does not exist");
            }
        }
        for (JsonNode entry : tree.path("components")) {
            String name = entry.asText();
            Path target = directory.resolve(name).normalize();
            if (Files.isDirectory(target)) {
                load(target, own, problems, true);
            } else {
                problems.add(shown(kustomization) + ": components lists " + name + ", which is not a directory");
            }
        }
        for (JsonNode generator : tree.path("configMapGenerator")) {
            generate(kustomization, directory, generator, own, problems);
        }
        for (JsonNode patch : tree.path("patches")) {
            checkPatch(kustomization, directory, patch, own, problems);
        }
        if (tree.hasNonNull("namespace")) {
            String namespace = tree.get("namespace").asText();
            own.stream().filter(r -> !CLUSTER_SCOPED.contains(r.getKind()))
                    .forEach(r -> r.getMetadata().setNamespace(namespace));
        }
        if (!component) {
            resources.addAll(own);
        }
    }

    private void generate(Path kustomization, Path directory, JsonNode generator, List<HasMetadata> resources,
                          List<String> problems) {
        String name = generator.path("name").asText();
        String namespace = generator.hasNonNull("namespace") ? generator.get("namespace").asText() : null;
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode entry : generator.path("files")) {
            // "key=path" names the key; a bare path uses the file name.
            String spec = entry.asText();
            int equals = spec.indexOf('=');
            String key = equals < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, equals);
            Path source = directory.resolve(equals < 0 ? spec : spec.substring(equals + 1)).normalize();
            if (!Files.isRegularFile(source)) {
                problems.add(shown(kustomization) + ": configMapGenerator " + name + " lists file " + spec
                        + ", which does not exist");
                continue;
            }
            data.put(key, read(source));
        }
        for (JsonNode entry : generator.path("literals")) {
            String literal = entry.asText();
            int equals = literal.indexOf('=');
            data.put(literal.substring(0, Math.max(equals, 0)), equals < 0 ? "" : literal.substring(equals + 1));
        }
        String behavior = generator.path("behavior").asText("create");
        Optional<ConfigMap> existing = resources.stream()
                .filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> name.equals(c.getMetadata().getName()))
                .filter(c -> namespace == null || namespace.equals(c.getMetadata().getNamespace()))
                .findFirst();
        switch (behavior) {
            case "merge", "replace" -> {
                if (existing.isEmpty()) {
                    problems.add(shown(kustomization) + ": configMapGenerator " + name + " (behavior " + behavior
                            + ") has no ConfigMap " + name + " to " + behavior);
                    return;
                }
                Map<String, String> merged = new LinkedHashMap<>();
                if (behavior.equals("merge") && existing.get().getData() != null) {
                    merged.putAll(existing.get().getData());
                }
                merged.putAll(data);
                existing.get().setData(merged);
            }
            case "create" -> resources.add(new ConfigMapBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels(generator)).endMetadata()
                    .withData(data)
                    .build());
            default -> problems.add(shown(kustomization) + ": configMapGenerator " + name + " has unknown behavior "
                    + behavior);
        }
    }

    /** {@code options.labels} of a generator: selectors such as Grafana's sidecar find the ConfigMap by them. */
    private static Map<String, String> labels(JsonNode generator) {
        Map<String, String> labels = new LinkedHashMap<>();
        generator.path("options").path("labels").fields()
                .forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        return labels.isEmpty() ? null : labels;
    }

    private void checkPatch(Path kustomization, Path directory, JsonNode patch, List<HasMetadata> resources,
                            List<String> problems) {
        String label;
        List<HasMetadata> fromFile = List.of();
        if (patch.hasNonNull("path")) {
            label = patch.get("path").asText();
            Path file = directory.resolve(label).normalize();
            if (!Files.isRegularFile(file)) {
                problems.add(shown(kustomization) + ": patch " + label + " does not exist");
                return;
            }
            if (!patch.has("target")) {
                fromFile = strategicMergePatch(file);
            }
        } else if (patch.hasNonNull("patch")) {
            label = "(inline)";
        } else {
            problems.add(shown(kustomization) + ": a patch has neither path nor patch");
            return;
        }
        List<ResourceId> targets = new ArrayList<>();
        if (patch.has("target")) {
            JsonNode target = patch.get("target");
            targets.add(new ResourceId(target.path("kind").asText(null), target.path("name").asText(null)));
        } else {
            fromFile.forEach(r -> targets.add(ResourceId.of(r)));
        }
        if (targets.isEmpty()) {
            problems.add(shown(kustomization) + ": patch " + label + " names no target (kind and name)");
        }
        for (ResourceId target : targets) {
            if (target.kind() == null || target.name() == null) {
                problems.add(shown(kustomization) + ": patch " + label + " targets " + target
                        + "; give both kind and name");
            } else if (resources.stream().map(ResourceId::of).noneMatch(target::equals)) {
                problems.add(shown(kustomization) + ": patch " + label + " targets " + target
                        + ", which is not among its resources");
            }
        }
    }

    /** A patch file without a target is a strategic merge patch: a partial object naming its target. */
    private static List<HasMetadata> strategicMergePatch(Path file) {
        List<HasMetadata> targets = new ArrayList<>();
        for (JsonNode document : ManifestFiles.documents(file)) {
            if (document.isObject()) {
                targets.add(new GenericKubernetesResourceBuilder()
                        .withKind(document.path("kind").asText(null))
                        .withNewMetadata().withName(document.path("metadata").path("name").asText(null)).endMetadata()
                        .build());
            }
        }
        return targets;
    }

    private String shown(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            return normalized.toString();
        }
        String relative = root.relativize(normalized).toString();
        return relative.isEmpty() ? "." : relative;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
