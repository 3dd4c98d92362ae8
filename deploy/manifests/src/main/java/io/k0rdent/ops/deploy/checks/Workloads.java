package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Small accessors shared by the checks, so each check reads as its rule. */
final class Workloads {

    private Workloads() {
    }

    static String describe(Deployment deployment) {
        return "Deployment " + deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
    }

    static String describe(Deployment deployment, Container container) {
        return describe(deployment) + " container " + container.getName();
    }

    static PodSpec pod(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    /** Init containers count too: they run in the same pod with the same privileges. */
    static List<Container> containers(Deployment deployment) {
        PodSpec pod = pod(deployment);
        return Stream.concat(Stream.ofNullable(pod.getInitContainers()).flatMap(List::stream),
                Stream.ofNullable(pod.getContainers()).flatMap(List::stream)).toList();
    }

    /** The ConfigMaps a Deployment mounts as volumes, as rendered. */
    static List<ConfigMap> mountedConfigMaps(Rendering rendering, Deployment deployment) {
        return Stream.ofNullable(pod(deployment).getVolumes()).flatMap(List::stream)
                .map(v -> v.getConfigMap() == null ? null : v.getConfigMap().getName())
                .filter(Objects::nonNull)
                .flatMap(name -> rendering.find(ConfigMap.class, deployment.getMetadata().getNamespace(), name).stream())
                .toList();
    }
}
