package io.k0rdent.ops.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Probes call what the services serve: micronaut-management's health endpoints on the HTTP port, and
 * no configuration the service reads turns them off or moves them.
 */
final class ProbesCheck implements ManifestCheck {

    static final Set<String> HEALTH_PATHS = Set.of("/health", "/health/liveness", "/health/readiness");
    static final int HTTP_PORT = 8080;

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : rendering.all(Deployment.class)) {
            for (Container container : Workloads.pod(deployment).getContainers()) {
                String owner = Workloads.describe(deployment, container);
                checkProbe(owner, "livenessProbe", container.getLivenessProbe(), true, container, problems);
                checkProbe(owner, "readinessProbe", container.getReadinessProbe(), true, container, problems);
                checkProbe(owner, "startupProbe", container.getStartupProbe(), false, container, problems);
            }
            String owner = Workloads.describe(deployment);
            for (ConfigMap configMap : Workloads.mountedConfigMaps(rendering, deployment)) {
                Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
                data.forEach((key, value) -> {
                    if (key.endsWith(".yml") || key.endsWith(".yaml")) {
                        checkConfig(owner, "ConfigMap " + configMap.getMetadata().getName() + " " + key,
                                ManifestFiles.tree(value), problems);
                    }
                });
            }
            context.moduleConfig(deployment.getMetadata().getName())
                    .ifPresent(config -> checkConfig(owner, config.shownAs(), config.tree(), problems));
        }
        return problems;
    }

    private static void checkProbe(String owner, String kind, Probe probe, boolean required, Container container,
                                   List<String> problems) {
        if (probe == null) {
            if (required) {
                problems.add(owner + ": " + kind + " is missing");
            }
            return;
        }
        if (probe.getHttpGet() == null) {
            problems.add(owner + ": " + kind + " is not an HTTP GET on a management health endpoint");
            return;
        }
        String path = probe.getHttpGet().getPath();
        if (!HEALTH_PATHS.contains(path)) {
            problems.add(owner + ": " + kind + " calls " + path
                    + ", which the service does not serve (only /health, /health/liveness, /health/readiness)");
        }
        Integer port = resolve(probe.getHttpGet().getPort(), container);
        if (port == null || port != HTTP_PORT) {
            problems.add(owner + ": " + kind + " calls port " + shown(probe.getHttpGet().getPort())
                    + ", not the HTTP port " + HTTP_PORT
                    + " the management endpoints are on");
        }
    }

    private static String shown(IntOrString port) {
        if (port == null) {
            return "(none)";
        }
        return port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    private static Integer resolve(IntOrString port, Container container) {
        if (port == null) {
            return null;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return Stream.ofNullable(container.getPorts()).flatMap(List::stream)
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst().orElse(null);
    }

    private static void checkConfig(String owner, String source, JsonNode config, List<String> problems) {
        JsonNode endpoints = config.path("endpoints");
        if (isFalse(endpoints.path("health").path("enabled")) || isFalse(endpoints.path("all").path("enabled"))) {
            problems.add(owner + ": " + source + " disables endpoints.health, which the probes call");
        }
        for (String scope : List.of("all", "health")) {
            JsonNode port = endpoints.path(scope).path("port");
            if (!port.isMissingNode() && !port.isNull() && port.asInt(-1) != HTTP_PORT) {
                problems.add(owner + ": " + source + " moves endpoints." + scope + " to port " + port.asText()
                        + ", but the probes call " + HTTP_PORT);
            }
        }
    }

    private static boolean isFalse(JsonNode node) {
        return node.isBoolean() ? !node.asBoolean() : "false".equalsIgnoreCase(node.asText());
    }
}
