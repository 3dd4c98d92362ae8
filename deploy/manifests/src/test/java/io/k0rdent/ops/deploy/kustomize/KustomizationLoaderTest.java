package io.k0rdent.ops.deploy.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KustomizationLoaderTest {

    static final Path FIXTURES = Fixtures.path("kustomize");
    final KustomizationLoader loader = new KustomizationLoader(FIXTURES);

    @Test
    void followsResourcesAndGeneratesConfigMaps() {
        Rendering rendering = loader.load(FIXTURES.resolve("base"));

        assertThat(rendering.problems()).isEmpty();
        assertThat(rendering.all(Deployment.class)).extracting(d -> d.getMetadata().getName()).containsExactly("demo-service");
        ConfigMap config = rendering.find(ConfigMap.class, "demo", "demo-config").orElseThrow();
        assertThat(config.getData()).containsEntry("application.yml", "endpoints:\n  health:\n    enabled: true\n");
    }

    @Test
    void reportsAResourceThatDoesNotExist() {
        Rendering rendering = loader.load(FIXTURES.resolve("missing-resource"));

        assertThat(rendering.problems()).containsExactly(
                "missing-resource/kustomization.yaml: resources lists absent.yaml, which does not exist");
        assertThat(rendering.all(Deployment.class)).hasSize(1);
    }

    @Test
    void reportsPatchesThatTargetNothingOrDoNotExist() {
        Rendering rendering = loader.load(FIXTURES.resolve("bad-patches"));

        assertThat(rendering.problems()).containsExactly(
                "bad-patches/kustomization.yaml: patch replicas.yaml targets Deployment/ghost-service, which is not among its resources",
                "bad-patches/kustomization.yaml: patch absent-patch.yaml does not exist",
                "bad-patches/kustomization.yaml: patch ghost.yaml targets Deployment/ghost, which is not among its resources");
    }

    @Test
    void reportsGeneratorsWithoutABaseOrAFile() {
        Rendering rendering = loader.load(FIXTURES.resolve("bad-generators"));

        assertThat(rendering.problems()).containsExactly(
                "bad-generators/kustomization.yaml: configMapGenerator kafka-client (behavior merge) has no ConfigMap kafka-client to merge",
                "bad-generators/kustomization.yaml: configMapGenerator extra-config lists file absent.yml, which does not exist");
        assertThat(rendering.find(ConfigMap.class, "demo", "demo-config").orElseThrow().getData())
                .containsKeys("application.yml", "KEY");
    }

    @Test
    void reportsDeprecatedPatchFields() {
        Rendering rendering = loader.load(FIXTURES.resolve("deprecated"));

        assertThat(rendering.problems()).containsExactly(
                "deprecated/kustomization.yaml: patchesStrategicMerge is deprecated; use resources and patches");
    }

    @Test
    void componentsAddTheirResourcesAndPatchTheIncludingKustomization() {
        Rendering rendering = loader.load(FIXTURES.resolve("with-component"));

        // The component's patch targets demo-service, which only the including kustomization has.
        assertThat(rendering.problems()).isEmpty();
        ConfigMap dashboard = rendering.find(ConfigMap.class, "demo", "demo-dashboard").orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData()).containsEntry("dashboard.json", "{\"title\": \"demo\"}\n");
        assertThat(rendering.all(Deployment.class)).hasSize(1);
    }

    @Test
    void reportsComponentsAndKustomizationsListedInTheWrongPlace() {
        Rendering rendering = loader.load(FIXTURES.resolve("bad-components"));

        assertThat(rendering.problems()).containsExactly(
                "component/kustomization.yaml: a kind: Component must be listed under components, not resources",
                "component/kustomization.yaml: patch replicas.yaml targets Deployment/demo-service, which is not among its resources",
                "base/kustomization.yaml: listed under components but is not a kind: Component",
                "bad-components/kustomization.yaml: components lists ../absent, which is not a directory");
    }

    @Test
    void reportsADirectoryWithoutKustomization() {
        Rendering rendering = loader.load(FIXTURES.resolve("base/../missing-resource/.."));

        assertThat(rendering.problems()).containsExactly(".: no kustomization.yaml");
    }
}
