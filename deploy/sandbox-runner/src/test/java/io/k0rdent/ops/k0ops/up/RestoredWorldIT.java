package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.HostsOptions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.k0rdent.ops.sandbox.management.ManagementApi;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/** The parts of the sandbox's simulated world that a restart of {@code k0ops up} brings back, and how they are joined. */
class RestoredWorldIT {

    @TempDir
    Path dir;

    private SimulatedHosts startHosts(PublicKey key) {
        return SimulatedHosts.start(HostsOptions.authorizing(key).withStateDir(dir.resolve("hosts")));
    }

    /** Started the way the sandbox does it: every launched instance gets a simulated host. */
    private Ec2Emulator startEc2(SimulatedHosts hosts) {
        return Ec2Emulator.start(Ec2EmulatorOptions.forTests().withSshEndpointHook(instance -> {
            SimulatedHost host = hosts.addHost(instance.instanceId(), "ubuntu");
            return host.address() + ":" + hosts.port();
        }).withStateFile(dir.resolve("ec2/state.json")));
    }

    private static Ec2Client client(Ec2Emulator emulator) {
        return Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build();
    }

    private static String endpointTag(Ec2Client ec2, String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).tags()
                .stream().filter(t -> t.key().equals(Ec2EmulatorOptions.DEFAULT_SSH_ENDPOINT_TAG)).findFirst()
                .orElseThrow().value();
    }

    @Test
    void hostsFollowEc2AndEndpointsArePointedAtTheirNewPort() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PublicKey key = generator.generateKeyPair().getPublic();
        String kept;
        String terminated;
        String keptAddress;
        int oldPort;
        try (SimulatedHosts hosts = startHosts(key); Ec2Emulator emulator = startEc2(hosts);
             Ec2Client ec2 = client(emulator)) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
            List<String> ids = ec2.runInstances(r -> r.imageId(Ec2EmulatorOptions.forTests().images().get(0).imageId())
                    .minCount(2).maxCount(2).subnetId(subnet)).instances().stream().map(Instance::instanceId).toList();
            kept = ids.get(0);
            terminated = ids.get(1);
            ec2.terminateInstances(r -> r.instanceIds(terminated));
            // The waiter's polls move it on to terminated (a shutting-down instance is still alive).
            ec2.describeInstances(r -> r.instanceIds(terminated));
            ec2.describeInstances(r -> r.instanceIds(terminated));
            oldPort = hosts.port();
            keptAddress = hosts.hosts().stream().filter(h -> h.hostname().equals(kept)).findFirst().orElseThrow()
                    .address();
            assertThat(endpointTag(ec2, kept)).isEqualTo(keptAddress + ":" + oldPort);
        }

        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", oldPort)); // someone took the SSH port meanwhile
            try (SimulatedHosts hosts = startHosts(key); Ec2Emulator emulator = startEc2(hosts);
                 Ec2Client ec2 = client(emulator)) {
                assertThat(hosts.restored().hosts()).isEqualTo(2);
                assertThat(hosts.port()).isNotEqualTo(oldPort);

                RestoredWorld.Reconciled reconciled = RestoredWorld.reconcile(emulator, hosts, "ubuntu");

                assertThat(reconciled).isEqualTo(new RestoredWorld.Reconciled(1, 0, 1));
                assertThat(hosts.hosts()).extracting(SimulatedHost::hostname).containsExactly(kept);
                assertThat(endpointTag(ec2, kept)).isEqualTo(keptAddress + ":" + hosts.port());
                // A second look changes nothing.
                assertThat(RestoredWorld.reconcile(emulator, hosts, "ubuntu"))
                        .isEqualTo(new RestoredWorld.Reconciled(0, 0, 0));
            }
        }
    }

    @Test
    void theManagementApiKeepsItsSecretsAcrossARestart() throws Exception {
        Path kubeconfig = dir.resolve("management.kubeconfig");
        Path state = dir.resolve("management");
        try (ManagementApi api = ManagementApi.start(kubeconfig, state)) {
            assertThat(api.restoredObjects()).isZero();
            try (KubernetesClient client = client(kubeconfig)) {
                client.secrets().inNamespace(ManagementApi.NAMESPACE).resource(new SecretBuilder()
                        .withNewMetadata().withName("dev-01-kubeconfig").withLabels(Map.of("k0rdent.io/cluster", "dev-01"))
                        .endMetadata().withType("Opaque").withData(Map.of("value", "a3ViZWNvbmZpZw==")).build()).create();
                client.secrets().inNamespace(ManagementApi.NAMESPACE).resource(new SecretBuilder()
                        .withNewMetadata().withName("gone-kubeconfig").endMetadata().build()).create();
                client.secrets().inNamespace(ManagementApi.NAMESPACE).withName("gone-kubeconfig").delete();
            }
        }
        assertThat(Files.readString(state.resolve(ManagementApi.SNAPSHOT_FILE))).contains("dev-01-kubeconfig");

        try (ManagementApi api = ManagementApi.start(kubeconfig, state); KubernetesClient client = client(kubeconfig)) {
            assertThat(api.restoredObjects()).isEqualTo(1);
            assertThat(client.secrets().inNamespace(ManagementApi.NAMESPACE).list().getItems()).singleElement()
                    .satisfies(secret -> {
                        assertThat(secret.getMetadata().getName()).isEqualTo("dev-01-kubeconfig");
                        assertThat(secret.getMetadata().getLabels()).containsEntry("k0rdent.io/cluster", "dev-01");
                        assertThat(secret.getData()).containsEntry("value", "a3ViZWNvbmZpZw==");
                    });
        }
    }

    private static KubernetesClient client(Path kubeconfig) throws Exception {
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), null)).build();
    }
}
