package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.sandbox.hosts.HostNetwork;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 7: Ready means a working cluster, not only Ready nodes and system pods. Probe pods resolve
 * {@code kubernetes.default} through CoreDNS and connect from one worker to a pod on another; a pod network that the
 * nodes' network drops, or a node that cannot pull the probe image, is not Ready; the probes are gone afterwards.
 */
class ReadyMeansWorkingIT {

    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /** Every connection arrives, except what {@code podTraffic} and {@code internet} refuse. */
    private static HostNetwork network(Function<String, Optional<String>> podTraffic,
                                       Function<String, Optional<String>> internet) {
        return new HostNetwork() {
            @Override
            public Optional<String> internetBlocked(String fromHostname) {
                return internet.apply(fromHostname);
            }

            @Override
            public Optional<String> podTrafficBlocked(String from, String to, boolean encapsulateAll) {
                return from.equals(to) ? Optional.empty() : podTraffic.apply(from + " -> " + to);
            }
        };
    }

    private long probePods(BootstrapSandbox.Cluster cluster) {
        return cluster.host(0).cluster().orElseThrow().client().pods().inNamespace("kube-system")
                .withLabel("app.kubernetes.io/name", "k0rdent-probe").list().getItems().size();
    }

    @Test
    void aWorkingClusterIsReadyAndItsProbePodsAreGone() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("works", 1, 2);

        assertThat(sandbox.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)))
                .isInstanceOf(ClusterReady.class);
        assertThat(probePods(cluster)).isZero();
    }

    @Test
    void aPodNetworkThatDropsTrafficBetweenWorkersIsNotReady() {
        sandbox.hosts().connectThrough(network(pair -> Optional.of("IP-in-IP dropped " + pair), host -> Optional.empty()));
        BootstrapSandbox.Cluster cluster = sandbox.cluster("no-overlay", 1, 2);

        var result = sandbox.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.VERIFY);
            assertThat(failed.retryable()).isTrue();
            assertThat(failed.message()).contains("pod network: a pod on " + cluster.host(2).hostname())
                    .contains("TIMEOUT").contains("IP-in-IP dropped");
        });
        assertThat(probePods(cluster)).as("probes are cleaned up after a failure too").isZero();
    }

    @Test
    void nodesThatCannotPullTheProbeImageAreNotReadyAndTheFailureNamesTheImage() throws Exception {
        sandbox.hosts().connectThrough(network(pair -> Optional.empty(), host -> Optional.of("no way out")));
        BootstrapSandbox.Cluster cluster = sandbox.cluster("air-gapped", 1, 1);
        // k0s itself is uploaded (no way out for a download either); the probe image is pulled by the node.
        java.nio.file.Path binary = sandbox.directory().resolve("k0s-v" + BootstrapSandbox.VERSION + "-amd64");
        java.nio.file.Files.writeString(binary, "SIMULATED-K0S " + BootstrapSandbox.VERSION + " amd64");

        var result = sandbox.bootstrapper(BootstrapSandbox.properties(sandbox.keyFile(),
                sandbox.directory().resolve("k0s-v{version}-{arch}")))
                .bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> assertThat(failed.message())
                .contains("did not start").contains("ImagePullBackOff").contains("agnhost"));
    }
}
