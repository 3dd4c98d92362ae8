package io.k0rdent.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.checks.CheckContext;
import io.k0rdent.ops.deploy.checks.ManifestChecks;
import io.k0rdent.ops.deploy.kustomize.KustomizationLoader;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            // Kustomizations, application.yml files and JSON 6902 patch lists are not Kubernetes objects.
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
                && !document.get("kind").asText().equals("Kustomization");
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
}
