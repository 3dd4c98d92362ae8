package io.k0rdent.ops.bootstrap.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.contracts.event.SecretReference;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The one adapter to the management cluster (fabric8): keeps each workload cluster's admin
 * kubeconfig as Secret {@code <cluster>-kubeconfig}, labelled with the cluster name, in one namespace.
 * Events only ever carry the Secret's {@link SecretReference}.
 */
@Singleton
public final class ManagementCluster implements AutoCloseable {

    /** Label that ties a Secret to its cluster, so operators can list and clean up by cluster. */
    public static final String CLUSTER_LABEL = "k0rdent.io/cluster";
    /** The data key holding the kubeconfig (the key Cluster API uses for the same purpose). */
    public static final String DATA_KEY = "value";

    private final KubernetesClient client;
    private final String namespace;

    @Inject
    public ManagementCluster(BootstrapProperties properties) {
        this(connect(properties.kubeconfig()), properties.kubeconfig().namespace());
    }

    public ManagementCluster(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    private static KubernetesClient connect(BootstrapProperties.Kubeconfig settings) {
        if (settings.managementKubeconfig() == null) {
            return new KubernetesClientBuilder().build();
        }
        try {
            String kubeconfig = Files.readString(settings.managementKubeconfig());
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the management kubeconfig " + settings.managementKubeconfig(), e);
        }
    }

    /** Where the kubeconfig of {@code cluster} is kept. */
    public SecretReference reference(String cluster) {
        return new SecretReference(namespace, cluster + "-kubeconfig");
    }

    /** Creates or replaces the kubeconfig Secret; storing the same content again changes nothing. */
    public SecretReference storeKubeconfig(String cluster, String kubeconfig) {
        SecretReference ref = reference(cluster);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withNamespace(ref.namespace())
                .withName(ref.name())
                .withLabels(Map.of(CLUSTER_LABEL, cluster))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(DATA_KEY, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8))))
                .build();
        client.secrets().inNamespace(ref.namespace()).resource(secret).createOr(NonDeletingOperation::update);
        return ref;
    }

    /** The stored kubeconfig of {@code cluster}, if any. */
    public Optional<String> kubeconfig(String cluster) {
        SecretReference ref = reference(cluster);
        Secret secret = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (secret == null || secret.getData() == null || secret.getData().get(DATA_KEY) == null) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(DATA_KEY)), StandardCharsets.UTF_8));
    }

    /** Deletes the kubeconfig Secret; deleting a missing one is fine (reprocessing). */
    public void deleteKubeconfig(String cluster) {
        SecretReference ref = reference(cluster);
        client.secrets().inNamespace(ref.namespace()).withName(ref.name()).delete();
    }

    @PreDestroy
    @Override
    public void close() {
        client.close();
    }
}
