package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Everything a Deployment or Ingress refers to exists: its ServiceAccount and ConfigMaps in the rendered
 * tree, its Secrets (which the operator creates) in {@code secrets.example.yaml}, with the keys used.
 */
final class ReferencesCheck implements ManifestCheck {

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : rendering.all(Deployment.class)) {
            String namespace = deployment.getMetadata().getNamespace();
            String owner = Workloads.describe(deployment);
            String account = Workloads.pod(deployment).getServiceAccountName();
            if (account == null) {
                problems.add(owner + ": no serviceAccountName; each service runs under its own ServiceAccount");
            } else if (rendering.find(ServiceAccount.class, namespace, account).isEmpty()) {
                problems.add(owner + ": ServiceAccount " + account + " does not exist");
            }
            for (Reference reference : references(deployment)) {
                if (reference.secret()) {
                    checkSecret(context, rendering, namespace, owner, reference, problems);
                } else {
                    checkConfigMap(rendering, namespace, owner, reference, problems);
                }
            }
        }
        for (Ingress ingress : rendering.all(Ingress.class)) {
            String owner = "Ingress " + ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
            Stream.ofNullable(ingress.getSpec().getTls()).flatMap(List::stream).map(IngressTLS::getSecretName)
                    .filter(name -> name != null)
                    .forEach(name -> checkSecret(context, rendering, ingress.getMetadata().getNamespace(), owner,
                            new Reference(true, name, null), problems));
        }
        return problems;
    }

    private static void checkConfigMap(Rendering rendering, String namespace, String owner, Reference reference,
                                       List<String> problems) {
        Optional<ConfigMap> configMap = rendering.find(ConfigMap.class, namespace, reference.name());
        if (configMap.isEmpty()) {
            problems.add(owner + ": ConfigMap " + reference.name() + " does not exist");
        } else if (reference.key() != null && (configMap.get().getData() == null
                || !configMap.get().getData().containsKey(reference.key()))) {
            problems.add(owner + ": ConfigMap " + reference.name() + " has no key " + reference.key());
        }
    }

    private static void checkSecret(CheckContext context, Rendering rendering, String namespace, String owner,
                                    Reference reference, List<String> problems) {
        Optional<Secret> secret = rendering.find(Secret.class, namespace, reference.name())
                .or(() -> context.catalogued(namespace, reference.name()));
        if (secret.isEmpty()) {
            problems.add(owner + ": Secret " + reference.name() + " is neither rendered nor listed in secrets.example.yaml");
        } else if (reference.key() != null && !keys(secret.get()).contains(reference.key())) {
            problems.add(owner + ": Secret " + reference.name() + " has no key " + reference.key());
        }
    }

    private static Set<String> keys(Secret secret) {
        Set<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return keys;
    }

    /** A named ConfigMap or Secret, and the key used from it when only one is. */
    private record Reference(boolean secret, String name, String key) {
    }

    private static List<Reference> references(Deployment deployment) {
        List<Reference> references = new ArrayList<>();
        for (Volume volume : Stream.ofNullable(Workloads.pod(deployment).getVolumes()).flatMap(List::stream).toList()) {
            if (volume.getConfigMap() != null) {
                references.add(new Reference(false, volume.getConfigMap().getName(), null));
                items(volume.getConfigMap().getItems()).forEach(key ->
                        references.add(new Reference(false, volume.getConfigMap().getName(), key)));
            }
            if (volume.getSecret() != null) {
                references.add(new Reference(true, volume.getSecret().getSecretName(), null));
                items(volume.getSecret().getItems()).forEach(key ->
                        references.add(new Reference(true, volume.getSecret().getSecretName(), key)));
            }
        }
        for (Container container : Workloads.containers(deployment)) {
            for (EnvFromSource source : Stream.ofNullable(container.getEnvFrom()).flatMap(List::stream).toList()) {
                if (source.getConfigMapRef() != null) {
                    references.add(new Reference(false, source.getConfigMapRef().getName(), null));
                }
                if (source.getSecretRef() != null) {
                    references.add(new Reference(true, source.getSecretRef().getName(), null));
                }
            }
            for (EnvVar variable : Stream.ofNullable(container.getEnv()).flatMap(List::stream).toList()) {
                if (variable.getValueFrom() == null) {
                    continue;
                }
                var configMapKey = variable.getValueFrom().getConfigMapKeyRef();
                if (configMapKey != null) {
                    references.add(new Reference(false, configMapKey.getName(), configMapKey.getKey()));
                }
                var secretKey = variable.getValueFrom().getSecretKeyRef();
                if (secretKey != null) {
                    references.add(new Reference(true, secretKey.getName(), secretKey.getKey()));
                }
            }
        }
        return references;
    }

    private static Stream<String> items(List<KeyToPath> items) {
        return Stream.ofNullable(items).flatMap(List::stream).map(KeyToPath::getKey);
    }
}
