package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every service reads its mounted application.yml: {@code MICRONAUT_CONFIG_FILES} is set, and each file
 * it names is a key of a ConfigMap mounted at that directory. A wrong mount path or key would otherwise
 * show only once the pod runs.
 */
final class ConfigFilesCheck implements ManifestCheck {

    static final String VARIABLE = "MICRONAUT_CONFIG_FILES";

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : rendering.all(Deployment.class)) {
            for (Container container : Workloads.pod(deployment).getContainers()) {
                String owner = Workloads.describe(deployment, container);
                Optional<String> files = Stream.ofNullable(container.getEnv()).flatMap(List::stream)
                        .filter(v -> VARIABLE.equals(v.getName())).map(EnvVar::getValue).findFirst();
                if (files.isEmpty()) {
                    problems.add(owner + ": no " + VARIABLE + ", so no mounted application.yml is read");
                    continue;
                }
                for (String file : files.get().split(",")) {
                    if (!provided(rendering, deployment, container, file.strip())) {
                        problems.add(owner + ": " + VARIABLE + " names " + file.strip()
                                + ", which no mounted ConfigMap provides");
                    }
                }
            }
        }
        return problems;
    }

    private static boolean provided(Rendering rendering, Deployment deployment, Container container, String file) {
        for (VolumeMount mount : Stream.ofNullable(container.getVolumeMounts()).flatMap(List::stream).toList()) {
            String directory = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (!file.startsWith(directory) || mount.getSubPath() != null) {
                continue;
            }
            String relative = file.substring(directory.length());
            Optional<Volume> volume = Stream.ofNullable(Workloads.pod(deployment).getVolumes()).flatMap(List::stream)
                    .filter(v -> v.getName().equals(mount.getName()) && v.getConfigMap() != null).findFirst();
            if (volume.isEmpty()) {
                continue;
            }
            // With items, only the listed keys appear, each at its own path.
            String key = Stream.ofNullable(volume.get().getConfigMap().getItems()).flatMap(List::stream)
                    .filter(item -> relative.equals(item.getPath())).map(KeyToPath::getKey).findFirst()
                    .orElse(volume.get().getConfigMap().getItems() == null || volume.get().getConfigMap().getItems().isEmpty()
                            ? relative : null);
            Optional<ConfigMap> configMap = rendering.find(ConfigMap.class, deployment.getMetadata().getNamespace(),
                    volume.get().getConfigMap().getName());
            if (key != null && configMap.isPresent() && configMap.get().getData() != null
                    && configMap.get().getData().containsKey(key)) {
                return true;
            }
        }
        return false;
    }
}
