package io.k0rdent.ops.k0ops.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.k0ops.K0ops;
import io.k0rdent.ops.sandbox.management.ManagementApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code k0ops kubeconfig} against the sandbox's real management API (fabric8's mock server in CRUD mode, over HTTP). */
class KubeconfigCommandIT {

    private static final String WORKLOAD = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: dev-01
              cluster: {server: "https://127.0.1.7:6443"}
            users:
            - name: admin
              user: {token: "not-a-real-token"}
            contexts:
            - name: dev-01
              context: {cluster: dev-01, user: admin}
            current-context: dev-01
            """;

    @TempDir
    Path dir;
    private ManagementApi management;
    private Path managementKubeconfig;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void aManagementClusterHoldingOneKubeconfig() throws Exception {
        managementKubeconfig = dir.resolve("management.kubeconfig");
        management = ManagementApi.start(managementKubeconfig);
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(managementKubeconfig))).build()) {
            client.secrets().inNamespace("k0rdent-system").resource(new SecretBuilder()
                    .withNewMetadata().withName("dev-01-kubeconfig").withNamespace("k0rdent-system")
                    .withLabels(Map.of("k0rdent.io/cluster", "dev-01")).endMetadata()
                    .withData(Map.of("value", Base64.getEncoder().encodeToString(
                            WORKLOAD.getBytes(StandardCharsets.UTF_8))))
                    .build()).create();
        }
    }

    @AfterEach
    void stop() {
        management.close();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = K0ops.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    void writesTheKubeconfigToAFileOnlyItsOwnerCanRead() throws Exception {
        Path target = dir.resolve("dev-01.kubeconfig");

        Run run = run("kubeconfig", "dev-01", "--kubeconfig", managementKubeconfig.toString(), "-o", target.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(target)).isEqualTo(WORKLOAD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(run.out()).contains(target.toString()).doesNotContain("not-a-real-token");
        // A kubectl-style client can use the file as it is.
        assertThat(Config.fromKubeconfig(Files.readString(target)).getMasterUrl()).startsWith("https://127.0.1.7:6443");
    }

    @Test
    void anExistingFileIsReplacedAndMadePrivate() throws Exception {
        Path target = dir.resolve("old.kubeconfig");
        Files.writeString(target, "stale");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(run("kubeconfig", "dev-01", "--kubeconfig", managementKubeconfig.toString(), "-o",
                target.toString()).exitCode()).isZero();

        assertThat(Files.readString(target)).isEqualTo(WORKLOAD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void printsTheKeyOnlyWhenAskedTo() {
        Run run = run("kubeconfig", "dev-01", "--kubeconfig", managementKubeconfig.toString(), "--stdout");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(WORKLOAD);
    }

    @Test
    void aClusterWithoutASecretIsAClearErrorNamingIt() {
        Run run = run("kubeconfig", "not-ready", "--kubeconfig", managementKubeconfig.toString(), "--stdout");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("k0rdent-system/not-ready-kubeconfig").contains("k0ops status");
    }

    @Test
    void aNameThatCouldEscapeTheDirectoryIsRefused() {
        Run run = run("kubeconfig", "../etc/passwd", "--kubeconfig", managementKubeconfig.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is not a cluster name");
    }

    @Test
    void theManagementKubeconfigIsFoundLikeKubectlFindsItWithTheSandboxInBetween() throws Exception {
        Path sandbox = Files.writeString(dir.resolve("sandbox.kubeconfig"), "x");
        Path home = Files.writeString(dir.resolve("home-config"), "x");
        Path flag = Files.writeString(dir.resolve("flag"), "x");
        Path env = Files.writeString(dir.resolve("env"), "x");

        assertThat(ManagementKubeconfig.locate(flag, env.toString(), sandbox, home)).isEqualTo(flag);
        assertThat(ManagementKubeconfig.locate(null, env + ":" + home, sandbox, home)).isEqualTo(env);
        assertThat(ManagementKubeconfig.locate(null, null, sandbox, home)).isEqualTo(sandbox);
        assertThat(ManagementKubeconfig.locate(null, "", dir.resolve("absent"), home)).isEqualTo(home);
    }
}
