package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventType;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.k0ops.inspect.LifecycleLog;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
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
 * {@code k0ops up} end to end: the sandbox is started by the same code as the command (real broker, EC2
 * emulator, simulated hosts, mail server, Slack sink, the four services in their own JVMs), and a user's
 * pushes to the GitOps repository are followed to their outcomes. Needs the services built first, which the
 * reactor does (this module depends on them).
 */
class UpE2E {

    private static final Duration OUTCOME = Duration.ofMinutes(3);
    private static final PersonIdent ADA = new PersonIdent("Ada", "ada@example.com");

    @TempDir
    Path dir;

    @Test
    void pushedClustersAreBuiltToldAboutRejectedAndDestroyed() throws Exception {
        Path root = ServiceClasspath.repositoryRoot().orElseThrow();
        Sandbox.Layout layout = new Sandbox.Layout(dir.resolve(".k0ops"), dir.resolve("gitops"), root, 0, 0);
        try (Sandbox sandbox = Sandbox.start(layout, line -> System.out.println("[sandbox] " + line))) {
            Path work = sandbox.gitops().workDir();
            String template = Files.readString(work.resolve("templates/cluster-template.yaml"));

            // What the welcome text tells people to do.
            Files.writeString(work.resolve("clusters/dev-01.yaml"), template);
            commitAndPush(work, "Add dev-01");

            await().atMost(OUTCOME).until(() -> happened(sandbox, EventType.CLUSTER_READY, "dev-01"));
            await().atMost(OUTCOME).until(() -> !sandbox.slack().messages().isEmpty());
            // The route sends everything to the platform team; the commit's author is told too.
            await().atMost(OUTCOME).until(() -> recipientsOfMailIn(layout.mailDir())
                    .containsAll(List.of(ServiceSettings.PLATFORM_TEAM, ADA.getEmailAddress())));
            assertThat(sandbox.slack().messages()).anyMatch(message -> message.contains("dev-01"));

            // Scaling is a change in Git like any other: only the new worker joins, and the cluster is Ready again.
            Files.writeString(work.resolve("clusters/dev-01.yaml"),
                    template.replace("workers:\n      count: 2", "workers:\n      count: 3"));
            commitAndPush(work, "Scale dev-01 to 3 workers");
            await().atMost(OUTCOME).until(() -> readyWith(sandbox, "dev-01", 2, 3));
            await().atMost(OUTCOME).until(() -> slackMessages(sandbox, "dev-01: ready") == 2);

            // An upgrade is a change of spec.k0s.version: every node ends on the new version, none is replaced.
            List<String> instancesBeforeUpgrade = runningInstances(sandbox, "dev-01");
            Files.writeString(work.resolve("clusters/dev-01.yaml"),
                    template.replace("workers:\n      count: 2", "workers:\n      count: 3")
                            .replace("version: \"1.28.3+k0s.0\"", "version: \"1.29.1+k0s.0\""));
            commitAndPush(work, "Upgrade dev-01 to k0s 1.29.1");
            await().atMost(OUTCOME).until(() -> readyWith(sandbox, "dev-01", 3, 3));
            ClusterReady upgraded = lastReady(sandbox, "dev-01");
            assertThat(upgraded.k0sVersion()).isEqualTo("1.29.1+k0s.0");
            assertThat(upgraded.nodes()).hasSize(3) // the workers; a k0s controller is not a Kubernetes node
                    .allSatisfy(node -> assertThat(node.kubeletVersion()).contains("1.29.1"));
            assertThat(runningInstances(sandbox, "dev-01")).containsExactlyInAnyOrderElementsOf(instancesBeforeUpgrade);
            await().atMost(OUTCOME).until(() -> slackMessages(sandbox, "dev-01: ready") == 3);
            assertThat(kubeconfigSecretExists(sandbox, upgraded)).isTrue();

            // A definition the validator refuses (a public VPC range) is rejected, not built.
            Files.writeString(work.resolve("clusters/broken-01.yaml"), template
                    .replace("name: dev-01", "name: broken-01")
                    .replace("\"10.10.0.0/16\"", "\"8.8.0.0/16\""));
            commitAndPush(work, "Add broken-01");
            await().atMost(OUTCOME).until(() -> happened(sandbox, EventType.CLUSTER_DEFINITION_REJECTED, "broken-01"));
            // ... and told about, to its author, while the running cluster is untouched.
            await().atMost(OUTCOME).until(() -> slackMessages(sandbox, "broken-01: definition rejected") == 1);
            assertThat(runningInstances(sandbox, "dev-01")).containsExactlyInAnyOrderElementsOf(instancesBeforeUpgrade);
            assertThat(lastReady(sandbox, "dev-01").header().generation()).isEqualTo(3);
            assertThat(runningInstances(sandbox, "broken-01")).isEmpty();

            // Deleting the file deletes the cluster.
            Files.delete(work.resolve("clusters/dev-01.yaml"));
            Files.delete(work.resolve("clusters/broken-01.yaml"));
            commitAndPush(work, "Remove dev-01");
            await().atMost(OUTCOME).until(() -> happened(sandbox, EventType.INFRASTRUCTURE_DESTROYED, "dev-01"));
            // Nothing is left behind: no instance, network or security group in EC2, no kubeconfig Secret.
            assertThat(runningInstances(sandbox, "dev-01")).isEmpty();
            assertThat(leftoverNetworking(sandbox, "dev-01")).isEmpty();
            await().atMost(OUTCOME).until(() -> !kubeconfigSecretExists(sandbox, upgraded));
            await().atMost(OUTCOME).until(() -> slackMessages(sandbox, "dev-01: infrastructure destroyed") == 1);
            // One message per outcome, none doubled.
            assertThat(slackMessages(sandbox, "dev-01: ready")).isEqualTo(3);
            assertThat(slackMessages(sandbox, "broken-01: definition rejected")).isEqualTo(1);
        }
    }

    private static void commitAndPush(Path work, String message) throws Exception {
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call(); // deletions too, like "git add ."
            git.commit().setMessage(message).setAuthor(ADA).setCommitter(ADA).setSign(false).call();
            git.push().call();
        }
    }

    private static boolean happened(Sandbox sandbox, EventType type, String cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<ClusterEvent> events = LifecycleLog.read(consumer).events();
            return events.stream().anyMatch(e -> e.type() == type && cluster.equals(e.header().clusterName()));
        }
    }

    private static boolean readyWith(Sandbox sandbox, String cluster, long generation, int nodes) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            return LifecycleLog.read(consumer).eventsOf(cluster).stream()
                    .filter(ClusterReady.class::isInstance).map(ClusterReady.class::cast)
                    .anyMatch(r -> r.header().generation() == generation && r.nodes().size() == nodes);
        }
    }

    private static ClusterReady lastReady(Sandbox sandbox, String cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            return LifecycleLog.read(consumer).eventsOf(cluster).stream()
                    .filter(ClusterReady.class::isInstance).map(ClusterReady.class::cast)
                    .reduce((first, second) -> second).orElseThrow();
        }
    }

    private static long slackMessages(Sandbox sandbox, String title) {
        return sandbox.slack().messages().stream().filter(message -> message.contains(title)).count();
    }

    /** What EC2 itself says, asked through the AWS SDK as any client would. */
    private static List<String> runningInstances(Sandbox sandbox, String cluster) {
        try (Ec2Client ec2 = ec2(sandbox)) {
            return ec2.describeInstancesPaginator(r -> r.filters(
                            Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build(),
                            Filter.builder().name("instance-state-name").values("pending", "running").build()))
                    .reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream())
                    .map(Instance::instanceId)
                    .toList();
        }
    }

    private static List<String> leftoverNetworking(Sandbox sandbox, String cluster) {
        Filter tagged = Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build();
        try (Ec2Client ec2 = ec2(sandbox)) {
            List<String> left = new ArrayList<>();
            ec2.describeVpcs(r -> r.filters(tagged)).vpcs().forEach(v -> left.add(v.vpcId()));
            ec2.describeSubnets(r -> r.filters(tagged)).subnets().forEach(s -> left.add(s.subnetId()));
            ec2.describeSecurityGroups(r -> r.filters(tagged)).securityGroups().forEach(g -> left.add(g.groupId()));
            return left;
        }
    }

    private static Ec2Client ec2(Sandbox sandbox) {
        return Ec2Client.builder()
                .endpointOverride(sandbox.ec2().endpoint())
                .region(Region.of(sandbox.ec2().options().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("e2e", "e2e")))
                .build();
    }

    private static boolean kubeconfigSecretExists(Sandbox sandbox, ClusterReady ready) {
        Path kubeconfig = sandbox.layout().stateDir().resolve("management.kubeconfig");
        Config config = Config.fromKubeconfig(null, readString(kubeconfig), null);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            return client.secrets().inNamespace(ready.kubeconfigSecret().namespace())
                    .withName(ready.kubeconfigSecret().name()).get() != null;
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> recipientsOfMailIn(Path mailDir) throws Exception {
        if (!Files.isDirectory(mailDir)) {
            return List.of();
        }
        List<String> recipients = new ArrayList<>();
        try (Stream<Path> files = Files.list(mailDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".eml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
                    for (Address address : message.getAllRecipients()) {
                        recipients.add(((InternetAddress) address).getAddress());
                    }
                }
            }
        }
        return recipients;
    }
}
