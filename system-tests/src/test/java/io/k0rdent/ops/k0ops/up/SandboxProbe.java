package io.k0rdent.ops.k0ops.up;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventType;
import io.k0rdent.ops.k0ops.inspect.LifecycleLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * What the end-to-end tests ask a running sandbox, each through the interface a user or an operator has: Git
 * pushes, the topics, EC2 through the AWS SDK, the management cluster through a Kubernetes client, the Slack log.
 */
final class SandboxProbe {

    private final SandboxWorld sandbox;

    SandboxProbe(SandboxWorld sandbox) {
        this.sandbox = sandbox;
    }

    /** {@code git add . && git commit && git push}, deletions included. */
    static void commitAndPush(Path work, String message, PersonIdent author) throws Exception {
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call();
            git.push().call();
        }
    }

    List<ClusterEvent> events(String cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            return LifecycleLog.read(consumer).eventsOf(cluster);
        }
    }

    boolean happened(EventType type, String cluster) {
        return events(cluster).stream().anyMatch(e -> e.type() == type);
    }

    /**
     * Waits for {@code type} to happen to {@code cluster}; on timeout the failure lists what did happen to it (each
     * event as {@code k0ops status} shows it, failures with their phase and reason), so a run that never gets there
     * says why without digging through the services' logs.
     */
    void awaitHappened(EventType type, String cluster, java.time.Duration timeout) {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).until(() -> happened(type, cluster));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String history = events(cluster).stream()
                    .map(event -> "  " + event.type() + ": " + io.k0rdent.ops.k0ops.inspect.EventSummary.of(event))
                    .collect(java.util.stream.Collectors.joining("\n"));
            throw new AssertionError(cluster + " reached no " + type + " within " + timeout + "; what happened to it:\n"
                    + (history.isEmpty() ? "  nothing" : history), e);
        }
    }

    Optional<ClusterReady> lastReady(String cluster) {
        return events(cluster).stream()
                .filter(ClusterReady.class::isInstance).map(ClusterReady.class::cast)
                .reduce((first, second) -> second);
    }

    boolean readyWith(String cluster, long generation, int nodes) {
        return events(cluster).stream()
                .filter(ClusterReady.class::isInstance).map(ClusterReady.class::cast)
                .anyMatch(r -> r.header().generation() == generation && r.nodes().size() == nodes);
    }

    long slackMessages(String title) {
        return sandbox.slack().messages().stream().filter(message -> message.contains(title)).count();
    }

    /** The cluster's pending or running instances, as EC2 itself reports them. */
    List<String> runningInstances(String cluster) {
        try (Ec2Client ec2 = ec2()) {
            return ec2.describeInstancesPaginator(r -> r.filters(
                            Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build(),
                            Filter.builder().name("instance-state-name").values("pending", "running").build()))
                    .reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream())
                    .map(Instance::instanceId)
                    .toList();
        }
    }

    /** VPCs, subnets and security groups still tagged with the cluster. */
    List<String> leftoverNetworking(String cluster) {
        Filter tagged = Filter.builder().name("tag:k0rdent.io/cluster").values(cluster).build();
        try (Ec2Client ec2 = ec2()) {
            List<String> left = new ArrayList<>();
            ec2.describeVpcs(r -> r.filters(tagged)).vpcs().forEach(v -> left.add(v.vpcId()));
            ec2.describeSubnets(r -> r.filters(tagged)).subnets().forEach(s -> left.add(s.subnetId()));
            ec2.describeSecurityGroups(r -> r.filters(tagged)).securityGroups().forEach(g -> left.add(g.groupId()));
            return left;
        }
    }

    boolean kubeconfigSecretExists(ClusterReady ready) {
        Path kubeconfig = sandbox.layout().stateDir().resolve("management.kubeconfig");
        String content;
        try {
            content = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, content, null)).build()) {
            return client.secrets().inNamespace(ready.kubeconfigSecret().namespace())
                    .withName(ready.kubeconfigSecret().name()).get() != null;
        }
    }

    private Ec2Client ec2() {
        return Ec2Client.builder()
                .endpointOverride(sandbox.ec2().endpoint())
                .region(Region.of(sandbox.ec2().options().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("e2e", "e2e")))
                .build();
    }
}
