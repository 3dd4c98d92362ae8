package io.k0rdent.ops.deploy.kustomize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * What a kustomization directory stands for, as far as this module renders it: every resource reached
 * through {@code resources:} (recursively) and every ConfigMap its generators create, before patches.
 * Patches are only checked for their targets, never applied (see {@link KustomizationLoader}).
 *
 * @param resources the resources, in the order they were reached
 * @param problems  what was wrong with the kustomizations themselves, as messages naming the file
 */
public record Rendering(List<HasMetadata> resources, List<String> problems) {

    public Rendering {
        resources = List.copyOf(resources);
        problems = List.copyOf(problems);
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The resource of that type, namespace and name, if rendered. */
    public <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream()
                .filter(r -> name.equals(r.getMetadata().getName()))
                .filter(r -> namespace == null || namespace.equals(r.getMetadata().getNamespace()))
                .findFirst();
    }
}
