package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventType;
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

            // A definition the validator refuses (a public VPC range) is rejected, not built.
            Files.writeString(work.resolve("clusters/broken-01.yaml"), template
                    .replace("name: dev-01", "name: broken-01")
                    .replace("\"10.10.0.0/16\"", "\"8.8.0.0/16\""));
            commitAndPush(work, "Add broken-01");
            await().atMost(OUTCOME).until(() -> happened(sandbox, EventType.CLUSTER_DEFINITION_REJECTED, "broken-01"));

            // Deleting the file deletes the cluster.
            Files.delete(work.resolve("clusters/dev-01.yaml"));
            Files.delete(work.resolve("clusters/broken-01.yaml"));
            commitAndPush(work, "Remove dev-01");
            await().atMost(OUTCOME).until(() -> happened(sandbox, EventType.INFRASTRUCTURE_DESTROYED, "dev-01"));
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
