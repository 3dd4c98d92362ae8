package io.k0rdent.ops.deploy.kustomize;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** What a patch target or a reference names: a kind and a name (namespaces are checked by the callers). */
public record ResourceId(String kind, String name) {

    public static ResourceId of(HasMetadata resource) {
        return new ResourceId(resource.getKind(), resource.getMetadata() == null ? null : resource.getMetadata().getName());
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
