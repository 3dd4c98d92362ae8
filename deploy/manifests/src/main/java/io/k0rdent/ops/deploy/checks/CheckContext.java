package io.k0rdent.ops.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks know besides the rendered resources.
 *
 * @param root            where service modules are looked up ({@code <root>/<deployment name>/src/main/resources})
 * @param secretCatalogue the Secrets an operator is expected to create, by {@code namespace/name}: they are
 *                        deliberately not rendered, so references are checked against this list instead
 */
public record CheckContext(Path root, Map<String, Secret> secretCatalogue) {

    /** @param catalogue a {@code secrets.example.yaml}; absent means no Secret may be referenced */
    public static CheckContext of(Path root, Path catalogue) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        if (Files.isRegularFile(catalogue)) {
            for (HasMetadata resource : ManifestFiles.resources(catalogue)) {
                if (resource instanceof Secret secret) {
                    secrets.put(key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()), secret);
                }
            }
        }
        return new CheckContext(root, Map.copyOf(secrets));
    }

    public Optional<Secret> catalogued(String namespace, String name) {
        return Optional.ofNullable(secretCatalogue.get(key(namespace, name)));
    }

    /**
     * The application.yml packaged with the service a Deployment runs, when the module has one yet
     * (the services are written alongside these manifests, so it may not exist).
     */
    public Optional<ModuleConfig> moduleConfig(String service) {
        Path file = root.resolve(service).resolve("src/main/resources/application.yml");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new ModuleConfig(root.relativize(file).toString(), ManifestFiles.tree(file)));
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** @param shownAs the file, relative to the root, for messages */
    public record ModuleConfig(String shownAs, JsonNode tree) {
    }
}
