package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.sandbox.hosts.CommandRecord;
import io.k0rdent.ops.sandbox.hosts.Fault;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failing command in each phase becomes the matching {@link BootstrapFailed} (phase, host, command,
 * redacted stderr tail, retryable), and a retry resumes from that phase to Ready.
 */
class PhaseFailureIT {

    private static final String SECRET = "H4sIAAAAAAAA0123456789abcdefghijklmnopqrstuvwxyzSECRET";

    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(BootstrapPhase.GATHER_FACTS, 1, 1, "uname -m", "uname -m"),
                Arguments.of(BootstrapPhase.INSTALL_K0S, 1, 1, "curl",
                        "sudo -n curl -sSfL --retry 3 -o /usr/local/bin/k0s.download "
                                + "https://github.com/k0sproject/k0s/releases/download/v1.28.3+k0s.0/k0s-v1.28.3+k0s.0-amd64"
                                + " && sudo -n chmod 0755 /usr/local/bin/k0s.download"
                                + " && sudo -n mv -f /usr/local/bin/k0s.download /usr/local/bin/k0s"),
                Arguments.of(BootstrapPhase.CONFIGURE, 1, 0, "install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml",
                        "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml"),
                Arguments.of(BootstrapPhase.INIT_CONTROLLER, 1, 0, "k0s start", "sudo -n k0s start"),
                Arguments.of(BootstrapPhase.JOIN_CONTROLLERS, 3, 2, "k0s install controller",
                        "sudo -n k0s install controller --force --config /etc/k0s/k0s.yaml --token-file /etc/k0s/join-token"),
                Arguments.of(BootstrapPhase.JOIN_WORKERS, 1, 1, "k0s install worker",
                        "sudo -n k0s install worker --force --token-file /etc/k0s/join-token"),
                Arguments.of(BootstrapPhase.FETCH_KUBECONFIG, 1, 0, "k0s kubeconfig admin", "sudo -n k0s kubeconfig admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailedCommandNamesItsPhaseHostAndCommandAndARetryResumesThere(BootstrapPhase phase, int controllers, int failingHost,
                                                                         String faultPrefix, String expectedCommand) {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("fail-" + phase.name().toLowerCase().replace('_', '-'), controllers, 1);
        SimulatedHost host = cluster.host(failingHost);
        host.fail(new Fault(faultPrefix, 1, "starting\nError: failed: token=" + SECRET + "\ncontext deadline exceeded\n", 1));
        ClusterBootstrapper bootstrapper = sandbox.bootstrapper();
        InfrastructureProvisioned event = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);

        BootstrapEvent first = bootstrapper.bootstrap(event);

        assertThat(first).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(phase);
            assertThat(failed.host()).isEqualTo(host.address());
            assertThat(failed.command()).isEqualTo(expectedCommand);
            assertThat(failed.stderrTail()).contains("context deadline exceeded").doesNotContain(SECRET);
            assertThat(failed.retryable()).isTrue();
            assertThat(failed.header().causationId()).isEqualTo(event.header().eventId());
        });
        long before = sandbox.hosts().commands().size();

        BootstrapEvent retry = bootstrapper.bootstrap(event);

        assertThat(retry).isInstanceOf(ClusterReady.class);
        List<String> retried = sandbox.hosts().commands().stream().skip(before).map(CommandRecord::line).toList();
        int failedAt = PhasePlan.ORDER.indexOf(phase);
        if (failedAt > PhasePlan.ORDER.indexOf(BootstrapPhase.CONFIGURE)) {
            assertThat(retried).as("completed phases are not run again").noneMatch(l -> l.contains("/dev/stdin /etc/k0s/k0s.yaml") || l.contains("cat /etc/k0s/k0s.yaml"));
        }
        if (failedAt > PhasePlan.ORDER.indexOf(BootstrapPhase.INIT_CONTROLLER)) {
            assertThat(retried).noneMatch(l -> l.contains("install controller --force --config /etc/k0s/k0s.yaml") && !l.contains("token"));
        }
    }

    @Test
    void aManagementClusterThatIsDownFailsTheLastPhaseAndTheRetryOnlyStoresTheKubeconfig() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("store", 1, 1);
        CheckpointStore checkpoints = new CheckpointStore();
        KubernetesClient down = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build();
        InfrastructureProvisioned event = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);

        BootstrapEvent first = sandbox.bootstrapper(sandbox.properties(), new ManagementCluster(down, BootstrapSandbox.NAMESPACE),
                checkpoints).bootstrap(event);

        assertThat(first).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.STORE_KUBECONFIG);
            assertThat(failed.host()).isNull();
            assertThat(failed.retryable()).isTrue();
        });
        down.close();
        long before = sandbox.hosts().commands().size();

        BootstrapEvent retry = sandbox.bootstrapper(sandbox.properties(), sandbox.managementCluster(), checkpoints).bootstrap(event);

        assertThat(retry).isInstanceOf(ClusterReady.class);
        assertThat(sandbox.hosts().commands().stream().skip(before).map(CommandRecord::line))
                .as("only the read-only phases run again before STORE_KUBECONFIG")
                .noneMatch(l -> l.contains("install") || l.contains("start") || l.contains("token") || l.contains("curl"));
        assertThat(sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE).withName("store-kubeconfig").get()).isNotNull();
    }

    @Test
    void anUnsupportedArchitectureIsNotRetryable() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("riscv", 1, 1);
        cluster.host(1).machine("riscv64");

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.VALIDATE_HOSTS);
            assertThat(failed.host()).isEqualTo(cluster.host(1).address());
            assertThat(failed.message()).contains("riscv64");
            assertThat(failed.retryable()).isFalse();
        });
    }

    @Test
    void nodesThatAreNotReadyFailTheClusterInsteadOfMakingItReady() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("not-ready", 1, 2);
        cluster.host(2).kubeletReady(false);

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.VERIFY);
            assertThat(failed.message()).contains("node " + cluster.host(2).hostname() + " is not Ready");
            assertThat(failed.retryable()).isTrue();
        });
        assertThat(sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE).withName("not-ready-kubeconfig").get())
                .as("a cluster that is not Ready has no stored kubeconfig yet").isNull();
    }
}
