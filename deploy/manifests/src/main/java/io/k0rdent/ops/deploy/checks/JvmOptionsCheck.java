package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every service's JVM sizes its heap from the container limit and exits on OutOfMemoryError, the same
 * flags the images get from jib's JAVA_TOOL_OPTIONS (root pom), so a pod started either way behaves alike.
 */
final class JvmOptionsCheck implements ManifestCheck {

    static final List<String> REQUIRED = List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : rendering.all(Deployment.class)) {
            for (Container container : Workloads.pod(deployment).getContainers()) {
                String options = Stream.ofNullable(container.getEnv()).flatMap(List::stream)
                        .filter(v -> "JAVA_TOOL_OPTIONS".equals(v.getName()))
                        .map(EnvVar::getValue).findFirst().orElse("");
                List<String> absent = REQUIRED.stream().filter(flag -> !List.of(options.split("\\s+")).contains(flag)).toList();
                if (!absent.isEmpty()) {
                    problems.add(Workloads.describe(deployment, container) + ": JAVA_TOOL_OPTIONS lacks " + String.join(" ", absent));
                }
            }
        }
        return problems;
    }
}
