package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.k0ops.inspect.LifecycleLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Issue 7 end to end: {@code k0ops up} is stopped and started again on the same state directory, and a cluster built
 * before the restart is changed after it. The EC2 emulator, the simulated hosts with their k0s and cluster API, and
 * the management API's kubeconfig Secret must all be there again, so the scale-out only adds the new worker.
 */
class UpRestartE2E {

    private static final Duration OUTCOME = Duration.ofMinutes(3);
    private static final PersonIdent ADA = new PersonIdent("Ada", "ada@example.com");

    @TempDir
    Path dir;

    @Test
    void aClusterBuiltBeforeARestartIsScaledAfterIt() throws Exception {
        Path root = ServiceClasspath.repositoryRoot().orElseThrow();
        Sandbox.Layout layout = new Sandbox.Layout(dir.resolve(".k0ops"), dir.resolve("gitops"), root, 0, 0);
        String template;
        List<String> instancesBefore;
        ClusterReady readyBefore;
        try (Sandbox sandbox = Sandbox.start(layout, line -> System.out.println("[sandbox 1] " + line))) {
            Path work = sandbox.gitops().workDir();
            template = Files.readString(work.resolve("templates/cluster-template.yaml"));
            Files.writeString(work.resolve("clusters/dev-01.yaml"), template);
            commitAndPush(work, "Add dev-01");
            await().atMost(OUTCOME).until(() -> lastReady(sandbox, "dev-01").isPresent());
            readyBefore = lastReady(sandbox, "dev-01").orElseThrow();
            assertThat(readyBefore.header().generation()).isEqualTo(1);
            assertThat(readyBefore.nodes()).hasSize(2);
            instancesBefore = runningInstances(sandbox, "dev-01");
            assertThat(instancesBefore).hasSize(3); // one controller, two workers
        }
        assertThat(layout.stateDir().resolve("ec2/state.json")).exists();
        assertThat(layout.stateDir().resolve("hosts/hosts.json")).exists();
        assertThat(layout.stateDir().resolve("management/objects.json")).exists();

        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        try (Sandbox sandbox = Sandbox.start(layout, line -> {
            progress.add(line);
            System.out.println("[sandbox 2] " + line);
        })) {
            assertThat(progress).anyMatch(line -> line.startsWith("EC2 emulator ready")
                    && line.contains("restored 1 VPCs, 3 instances"));
            assertThat(progress).anyMatch(line -> line.startsWith("simulated SSH hosts ready")
                    && line.contains("restored 3 hosts, 1 cluster APIs"));
            // Nothing the provisioner or bootstrap service did is lost: the instances run, the Secret is there.
            assertThat(runningInstances(sandbox, "dev-01")).containsExactlyInAnyOrderElementsOf(instancesBefore);
            assertThat(kubeconfigSecretExists(sandbox, readyBefore)).isTrue();

            Path work = sandbox.gitops().workDir();
            Files.writeString(work.resolve("clusters/dev-01.yaml"),
                    template.replace("workers:\n      count: 2", "workers:\n      count: 3"));
            commitAndPush(work, "Scale dev-01 to 3 workers");
            await().atMost(OUTCOME).until(() -> lastReady(sandbox, "dev-01")
                    .filter(r -> r.header().generation() == 2).isPresent());

            ClusterReady scaled = lastReady(sandbox, "dev-01").orElseThrow();
            assertThat(scaled.nodes()).hasSize(3);
            List<String> instancesAfter = runningInstances(sandbox, "dev-01");
            // No relaunch: the three instances from before still run, and exactly one was launched after the restart.
            assertThat(instancesAfter).hasSize(4).containsAll(instancesBefore);
            assertThat(sandbox.ec2().audit().launchedInstanceIds()).hasSize(1)
                    .doesNotContainAnyElementsOf(instancesBefore);
            assertThat(kubeconfigSecretExists(sandbox, scaled)).isTrue();
        }
    }

    private static void commitAndPush(Path work, String message) throws Exception {
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage(message).setAuthor(ADA).setCommitter(ADA).setSign(false).call();
            git.push().call();
        }
    }

    private static Optional<ClusterReady> lastReady(Sandbox sandbox, String cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            return LifecycleLog.read(consumer).eventsOf(cluster).stream()
                    .filter(ClusterReady.class::isInstance).map(ClusterReady.class::cast)
                    .reduce((first, second) -> second);
        }
    }

    /** What EC2 itself says, asked through the AWS SDK as any client would. */
    private static List<String> runningInstances(Sandbox sandbox, String cluster) {
        try (Ec2Client ec2 = Ec2Client.builder()
                .endpointOverride(sandbox.ec2().endpoint())
                .region(Region.of(sandbox.ec2().options().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("e2e", "e2e")))
                .build()) {
            return ec2.describeInstancesPaginator(r -> r.filters(
                            Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build(),
                            Filter.builder().name("instance-state-name").values("pending", "running").build()))
                    .reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream())
                    .map(Instance::instanceId)
                    .toList();
        }
    }

    private static boolean kubeconfigSecretExists(Sandbox sandbox, ClusterReady ready) throws Exception {
        Path kubeconfig = sandbox.layout().stateDir().resolve("management.kubeconfig");
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), null);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            return client.secrets().inNamespace(ready.kubeconfigSecret().namespace())
                    .withName(ready.kubeconfigSecret().name()).get() != null;
        }
    }
}
