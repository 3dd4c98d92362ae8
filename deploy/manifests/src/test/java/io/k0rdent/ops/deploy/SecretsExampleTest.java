package io.k0rdent.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.k0rdent.ops.deploy.kustomize.KustomizationLoader;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example Secrets stay an example: never applied by a kustomization, and never holding a real value. */
class SecretsExampleTest {

    static final Path KUBERNETES = RepositoryRoot.locate().resolve("deploy/kubernetes");

    @Test
    void noKustomizationListsTheExample() throws IOException {
        List<Path> kustomizations;
        try (Stream<Path> walk = Files.walk(KUBERNETES)) {
            kustomizations = walk.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        }

        assertThat(kustomizations).isNotEmpty().allSatisfy(file ->
                assertThat(ManifestFiles.tree(file).path("resources")).as(file.toString())
                        .noneMatch(entry -> entry.asText().contains("secrets.example")));
        // Nor does anything else bring a Secret into the rendered tree: the operator creates them all.
        for (String directory : List.of("base", "overlays/dev", "overlays/prod")) {
            assertThat(new KustomizationLoader(RepositoryRoot.locate()).load(KUBERNETES.resolve(directory)).all(Secret.class))
                    .as(directory).isEmpty();
        }
    }

    @Test
    void everyValueIsAnObviousPlaceholder() {
        List<HasMetadata> secrets = ManifestFiles.resources(KUBERNETES.resolve("base/secrets.example.yaml"));

        assertThat(secrets).isNotEmpty().allSatisfy(resource -> {
            Secret secret = (Secret) resource;
            if (secret.getStringData() != null) {
                secret.getStringData().forEach((key, value) ->
                        assertThat(value).as(secret.getMetadata().getName() + " " + key).containsAnyOf("REPLACE", "example"));
            }
            if (secret.getData() != null) {
                secret.getData().forEach((key, value) ->
                        assertThat(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
                                .as(secret.getMetadata().getName() + " " + key).contains("REPLACE"));
            }
        });
    }
}
