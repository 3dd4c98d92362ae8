package io.k0rdent.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.checks.CheckContext;
import io.k0rdent.ops.deploy.checks.ManifestChecks;
import io.k0rdent.ops.deploy.kustomize.KustomizationLoader;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import io.k0rdent.ops.deploy.observability.AlertRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The committed tree under deploy/kubernetes: every manifest parses, every kustomization passes every check. */
class DeployTreeTest {

    static final Path ROOT = RepositoryRoot.locate();
    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    static final Path SECRETS_EXAMPLE = KUBERNETES.resolve("base/secrets.example.yaml");

    static Rendering render(String directory) {
        return new KustomizationLoader(ROOT).load(KUBERNETES.resolve(directory));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "topics"})
    void kustomizationPassesEveryCheck(String directory) {
        List<String> problems = ManifestChecks.run(render(directory), CheckContext.of(ROOT, SECRETS_EXAMPLE));

        assertThat(problems).isEmpty();
    }

    @Test
    void everyKubernetesObjectUnderDeployKubernetesParsesWithFabric8() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(KUBERNETES)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        int objects = 0;
        for (Path file : files) {
            // Kustomizations, components, application.yml files and JSON 6902 patch lists are not Kubernetes objects.
            boolean kubernetesObjects = ManifestFiles.documents(file).stream().allMatch(DeployTreeTest::isKubernetesObject);
            if (kubernetesObjects) {
                List<HasMetadata> parsed = ManifestFiles.resources(file);
                assertThat(parsed).as(file.toString()).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.getMetadata().getName()).as(file + " " + r.getKind()).isNotBlank());
                objects += parsed.size();
            }
        }
        assertThat(objects).isGreaterThan(30);
    }

    private static boolean isKubernetesObject(JsonNode document) {
        return document.isObject() && document.has("apiVersion") && document.has("kind")
                && !List.of("Kustomization", "Component").contains(document.get("kind").asText());
    }

    @Test
    void everyServiceHasItsDeploymentInTheBase() {
        assertThat(render("base").all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("gitwatcher-service", "provisioner-service", "bootstrap-service", "notifier-service");
    }

    @Test
    void prodIncludesTheStrimziTopicsAndDevDoesNot() {
        List<GenericKubernetesResource> prodTopics = render("overlays/prod").all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("KafkaTopic")).toList();

        assertThat(prodTopics).hasSize(io.k0rdent.ops.contracts.topic.Topics.all().size())
                .allSatisfy(topic -> assertThat(topic.getMetadata().getNamespace()).isEqualTo("kafka"));
        assertThat(render("overlays/dev").all(GenericKubernetesResource.class)).isEmpty();
    }

    @Test
    void theGitwatcherIsNeverScaledOut() {
        // It holds a transactional.id: a second instance would fence the first (docs/operations.md, "Scaling").
        for (String overlay : List.of("overlays/dev", "overlays/prod")) {
            JsonNode kustomization = ManifestFiles.tree(KUBERNETES.resolve(overlay).resolve("kustomization.yaml"));
            for (JsonNode patch : kustomization.path("patches")) {
                if (patch.path("target").path("name").asText().equals("gitwatcher-service")) {
                    Path file = KUBERNETES.resolve(overlay).resolve(patch.path("path").asText());
                    for (JsonNode operation : ManifestFiles.documents(file).get(0)) {
                        if (operation.path("path").asText().equals("/spec/replicas")) {
                            assertThat(operation.path("value").asInt()).as(overlay + " " + file.getFileName()).isEqualTo(1);
                        }
                    }
                }
            }
        }
        Deployment gitwatcher = render("base").find(Deployment.class, "k0rdent-system", "gitwatcher-service").orElseThrow();
        assertThat(gitwatcher.getSpec().getReplicas()).isEqualTo(1);
        assertThat(gitwatcher.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    static final String MONITORING_API = "monitoring.coreos.com/v1";

    static List<GenericKubernetesResource> monitoring(Rendering rendering) {
        return rendering.all(GenericKubernetesResource.class).stream()
                .filter(r -> MONITORING_API.equals(r.getApiVersion())).toList();
    }

    @Test
    void onlyTheObservabilityComponentNeedsThePrometheusOperator() {
        // base and dev must apply on a cluster without the Prometheus Operator's CRDs.
        assertThat(monitoring(render("base"))).isEmpty();
        assertThat(monitoring(render("overlays/dev"))).isEmpty();

        Rendering prod = render("overlays/prod");
        assertThat(monitoring(prod)).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("PodMonitor", "PrometheusRule");
        ConfigMap dashboard = prod.find(ConfigMap.class, "k0rdent-system", "k0rdent-ops-grafana-dashboard").orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData()).containsOnlyKeys("k0rdent-ops.json");
    }

    @Test
    void thePodMonitorScrapesEveryServiceOnANamedContainerPort() {
        Rendering prod = render("overlays/prod");
        GenericKubernetesResource podMonitor = monitoring(prod).stream()
                .filter(r -> r.getKind().equals("PodMonitor")).findFirst().orElseThrow();
        JsonNode spec = new ObjectMapper().valueToTree(podMonitor.getAdditionalProperties().get("spec"));
        List<String> namespaces = new java.util.ArrayList<>();
        spec.path("namespaceSelector").path("matchNames").forEach(n -> namespaces.add(n.asText()));
        String jobLabel = spec.path("jobLabel").asText();
        List<Deployment> deployments = prod.all(Deployment.class);
        assertThat(deployments).hasSize(4);

        for (Deployment deployment : deployments) {
            String name = deployment.getMetadata().getName();
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(namespaces).as("namespaces the PodMonitor watches").contains(deployment.getMetadata().getNamespace());
            spec.path("selector").path("matchLabels").fields().forEachRemaining(label ->
                    assertThat(podLabels).as(name + " pod labels").containsEntry(label.getKey(), label.getValue().asText()));
            assertThat(spec.path("selector").path("matchExpressions")).as("only matchLabels are checked here").isEmpty();
            assertThat(podLabels).as(name + " pod label the PodMonitor takes the job name from").containsEntry(jobLabel, name);
            List<String> portNames = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .map(Container::getPorts).filter(java.util.Objects::nonNull).flatMap(List::stream)
                    .map(ContainerPort::getName).toList();
            assertThat(spec.path("podMetricsEndpoints")).isNotEmpty().allSatisfy(endpoint -> {
                assertThat(portNames).as(name + " container port names").contains(endpoint.path("port").asText());
                assertThat(endpoint.path("path").asText()).isEqualTo("/prometheus");
            });
        }
    }

    @Test
    void theAlertsSelectTheJobsThePodMonitorCreates() {
        // A job regex that misses a service would leave it unwatched without any error.
        List<String> services = render("base").all(Deployment.class).stream().map(d -> d.getMetadata().getName()).toList();
        int count = 0;
        for (AlertRules.Rule rule : AlertRules.read(KUBERNETES.resolve("observability/prometheusrule.yaml")).rules()) {
            Matcher jobMatchers = Pattern.compile("job=~\"([^\"]+)\"").matcher(rule.expr());
            while (jobMatchers.find()) {
                Pattern jobs = Pattern.compile(jobMatchers.group(1));
                assertThat(services).as(rule.alert() + ": services matched by job=~" + jobs)
                        .allMatch(service -> jobs.matcher(service).matches());
                count++;
            }
        }
        assertThat(count).as("job matchers in prometheusrule.yaml").isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyScrapedServiceServesItsPrometheusEndpoint() {
        // The PodMonitor scrapes /prometheus; a service whose configuration leaves the endpoint off (or
        // sensitive, which without micronaut-security means refused) would only show as K0rdentServiceDown.
        CheckContext context = CheckContext.of(ROOT, SECRETS_EXAMPLE);
        for (Deployment deployment : render("overlays/prod").all(Deployment.class)) {
            String service = deployment.getMetadata().getName();
            JsonNode packaged = context.moduleConfig(service).orElseThrow().tree();
            JsonNode mounted = ManifestFiles.tree(KUBERNETES.resolve("base").resolve(service.replace("-service", ""))
                    .resolve("application.yml"));
            JsonNode packagedEndpoint = packaged.path("endpoints").path("prometheus");
            assertThat(packagedEndpoint.path("enabled").asText()).as(service + " endpoints.prometheus.enabled").isEqualTo("true");
            assertThat(packagedEndpoint.path("sensitive").asText()).as(service + " endpoints.prometheus.sensitive").isEqualTo("false");
            // The mounted application.yml is merged over the packaged one, so it must not undo either.
            JsonNode mountedEndpoint = mounted.path("endpoints").path("prometheus");
            assertThat(mountedEndpoint.path("enabled").asText("true")).as(service + " mounted endpoints.prometheus.enabled").isEqualTo("true");
            assertThat(mountedEndpoint.path("sensitive").asText("false")).as(service + " mounted endpoints.prometheus.sensitive").isEqualTo("false");
        }
    }
}
