package io.k0rdent.ops.k0ops.kubeconfig;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k0ops kubeconfig CLUSTER}: the workload cluster's kubeconfig, read from the Secret the bootstrap service
 * keeps in the management cluster, written to a file only its owner can read. The key is printed only when asked
 * ({@code --stdout}), so it does not end up in a terminal's scrollback or a CI log by accident.
 */
@Command(name = "kubeconfig",
        description = "Write a Ready cluster's kubeconfig (from its Secret in the management cluster) to a file "
                + "with mode 0600, or print it with --stdout.")
public final class KubeconfigCommand implements Callable<Integer> {

    /** Where the bootstrap service keeps kubeconfig Secrets unless configured otherwise. */
    public static final String DEFAULT_NAMESPACE = "k0rdent-system";
    /** The data key of the Secret (the key Cluster API uses for the same purpose). */
    static final String DATA_KEY = "value";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Parameters(paramLabel = "CLUSTER", description = "The cluster's name (metadata.name of its definition).")
    String cluster;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig of the management cluster (default: $KUBECONFIG, else the sandbox's "
                    + ".k0ops/management.kubeconfig when it exists, else ~/.kube/config).")
    Path managementKubeconfig;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = DEFAULT_NAMESPACE,
            description = "Namespace of the kubeconfig Secrets (default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write it (default ./CLUSTER.kubeconfig); an existing file is replaced.")
    Path output;

    @Option(names = "--stdout", description = "Print the kubeconfig instead of writing a file.")
    boolean stdout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!CLUSTER_NAME.matcher(cluster).matches()) {
            throw new IllegalArgumentException("'" + cluster + "' is not a cluster name (lower-case letters, digits "
                    + "and '-', at most 63 characters)");
        }
        Path source = ManagementKubeconfig.locate(managementKubeconfig, System.getenv("KUBECONFIG"),
                Path.of(".k0ops", "management.kubeconfig"), Path.of(System.getProperty("user.home"), ".kube", "config"));
        String kubeconfig = read(source);
        PrintWriter out = spec.commandLine().getOut();
        if (stdout) {
            out.print(kubeconfig);
            out.flush();
            return 0;
        }
        Path target = output != null ? output : Path.of(cluster + ".kubeconfig");
        writeOwnerOnly(target, kubeconfig);
        out.println("Wrote the kubeconfig of " + cluster + " to " + target + " (mode 0600). Use it with:");
        out.println("  kubectl --kubeconfig " + target + " get nodes");
        out.flush();
        return 0;
    }

    private String read(Path managementConfig) throws IOException {
        String config = Files.readString(managementConfig);
        String secretName = cluster + "-kubeconfig";
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(config))
                .build()) {
            Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
            if (secret == null || secret.getData() == null || secret.getData().get(DATA_KEY) == null) {
                throw new IllegalStateException("no kubeconfig for " + cluster + ": Secret " + namespace + "/"
                        + secretName + " does not exist in the management cluster (is the cluster Ready? "
                        + "see k0ops status)");
            }
            return new String(Base64.getDecoder().decode(secret.getData().get(DATA_KEY)), StandardCharsets.UTF_8);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot read Secret " + namespace + "/" + secretName
                    + " from the management cluster in " + managementConfig + ": HTTP " + e.getCode(), e);
        }
    }

    // Created with 0600 before the first byte is written, then moved into place: never readable by others.
    private static void writeOwnerOnly(Path target, String content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, content);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
