package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterMetadata;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.K0sSpec;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.SshEndpoint;
import io.k0rdent.ops.sandbox.hosts.CommandRecord;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile values in an event are refused before a single command reaches a node. */
class MaliciousValuesIT {

    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil;touch /tmp/pwned", "$(reboot)", "x`id`", "a b", "name'quote"})
    void aMaliciousClusterNameRunsNothing(String name) {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("good-name", 1, 1);
        InfrastructureProvisioned good = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);
        ClusterDefinition definition = good.definition();
        InfrastructureProvisioned evil = new InfrastructureProvisioned(BootstrapSandbox.header(name, 1, "provisioned"),
                new ClusterDefinition(definition.apiVersion(), definition.kind(),
                        new ClusterMetadata(name, definition.metadata().labels(), definition.metadata().annotations()),
                        definition.spec()), good.region(), good.vpcId(), good.nodes());

        assertRejectedBeforeAnyCommand(sandbox.bootstrapper().bootstrap(evil));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.28.3+k0s.0;reboot", "$(reboot)", "1.28.3+k0s.0 && rm -rf /", "1.28.3+k0s.0\nreboot", "latest"})
    void aMaliciousVersionRunsNothing(String version) {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("good-name", 1, 1);
        InfrastructureProvisioned good = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);
        ClusterSpec spec = good.definition().spec();
        InfrastructureProvisioned evil = new InfrastructureProvisioned(good.header(),
                new ClusterDefinition(good.definition().apiVersion(), good.definition().kind(), good.definition().metadata(),
                        new ClusterSpec(spec.region(), spec.networking(), spec.nodes(), new K0sSpec(version), spec.ssh(),
                                spec.addons(), spec.deletionProtection())),
                good.region(), good.vpcId(), good.nodes());

        assertRejectedBeforeAnyCommand(sandbox.bootstrapper().bootstrap(evil));
    }

    @Test
    void aMaliciousSshUserOrAddressRunsNothing() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("good-name", 1, 1);
        InfrastructureProvisioned good = BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1);
        List<ProvisionedNode> nodes = new ArrayList<>(good.nodes());
        ProvisionedNode worker = nodes.get(1);
        nodes.set(1, new ProvisionedNode(worker.instanceId(), worker.role(), worker.slot(), worker.instanceType(),
                worker.availabilityZone(), "10.0.1.11;reboot", worker.publicAddress(),
                new SshEndpoint(worker.ssh().host(), worker.ssh().port(), "root$(id)", worker.ssh().hostKeyFingerprint())));

        assertRejectedBeforeAnyCommand(sandbox.bootstrapper().bootstrap(
                new InfrastructureProvisioned(good.header(), good.definition(), good.region(), good.vpcId(), nodes)));
    }

    @Test
    void aHostReportingAMaliciousHostnameIsRefusedBeforeAnythingIsInstalled() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("good-name", 1, 0);
        SimulatedHost evil = sandbox.hosts().addHost("w;reboot", "ubuntu");
        List<ProvisionedNode> nodes = new ArrayList<>(cluster.nodes());
        nodes.add(sandbox.node("good-name", io.k0rdent.ops.contracts.event.NodeRole.WORKER, 0, evil, 30));
        InfrastructureProvisioned event = BootstrapSandbox.provisioned(new BootstrapSandbox.Cluster("good-name", List.of(), nodes),
                BootstrapSandbox.VERSION, 1);

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(event);

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.VALIDATE_HOSTS);
            assertThat(failed.host()).isEqualTo(evil.address());
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(sandbox.hosts().commands()).extracting(CommandRecord::line)
                .noneMatch(line -> line.contains("install") || line.contains("curl") || line.contains("reboot"));
    }

    private void assertRejectedBeforeAnyCommand(BootstrapEvent result) {
        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.command()).isNull();
            assertThat(failed.message()).startsWith("rejected before any command ran");
        });
        assertThat(sandbox.hosts().commands()).isEmpty();
    }
}
