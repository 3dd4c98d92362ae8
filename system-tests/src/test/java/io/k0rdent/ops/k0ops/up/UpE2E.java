package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.k0ops.K0ops;
import io.k0rdent.ops.contracts.event.EventType;
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
import java.util.Properties;
import java.util.stream.Stream;
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
        SandboxLayout layout = new SandboxLayout(dir.resolve(".k0ops"), dir.resolve("gitops"), root, 0, 0);
        try (SandboxWorld sandbox = SandboxWorld.start(layout, line -> System.out.println("[sandbox] " + line))) {
            SandboxProbe probe = new SandboxProbe(sandbox);
            Path work = sandbox.gitops().workDir();
            String template = Files.readString(work.resolve("templates/cluster-template.yaml"));

            // What the welcome text tells people to do.
            Files.writeString(work.resolve("clusters/dev-01.yaml"), template);
            SandboxProbe.commitAndPush(work, "Add dev-01", ADA);

            probe.awaitHappened(EventType.CLUSTER_READY, "dev-01", OUTCOME);
            await().atMost(OUTCOME).until(() -> !sandbox.slack().messages().isEmpty());
            // The route sends everything to the platform team; the commit's author is told too.
            await().atMost(OUTCOME).until(() -> recipientsOfMailIn(layout.mailDir())
                    .containsAll(List.of(ServiceSettings.PLATFORM_TEAM, ADA.getEmailAddress())));
            assertThat(sandbox.slack().messages()).anyMatch(message -> message.contains("dev-01"));
            // The push shows on the forge stand-in: pending while it was built, then success.
            await().atMost(OUTCOME).until(() -> sandbox.forge().statuses().stream().anyMatch(status ->
                    status.contains("\"context\":\"k0rdent/dev-01\"") && status.contains("\"status\":\"success\"")));
            assertThat(sandbox.forge().statuses()).anyMatch(status ->
                    status.contains("\"context\":\"k0rdent/dev-01\"") && status.contains("\"status\":\"pending\""));
            // No trust on first use: every node booted with the host key its user-data installed, and the tag the
            // bootstrap service pinned is that key's fingerprint.
            assertThat(sandbox.ec2().instances()).filteredOn(i -> i.alive()
                            && "dev-01".equals(i.tags().get("k0rdent.io/cluster")))
                    .isNotEmpty().allSatisfy(instance -> assertThat(sandbox.hosts().hosts().stream()
                            .filter(h -> h.hostname().equals(instance.instanceId())).findFirst().orElseThrow()
                            .hostKeyFingerprint()).isEqualTo(instance.tags().get("k0rdent.io/ssh-host-key")));

            // What the README tells people to do next: fetch the kubeconfig and talk to the cluster with it.
            Path kubeconfig = dir.resolve("dev-01.kubeconfig");
            assertThat(K0ops.commandLine().execute("kubeconfig", "dev-01", "--kubeconfig",
                    layout.stateDir().resolve("management.kubeconfig").toString(), "-o", kubeconfig.toString()))
                    .isZero();
            Config workloadConfig = Config.fromKubeconfig(Files.readString(kubeconfig));
            // The kubeconfig names the cluster's API address: its network load balancer, which the sandbox answers
            // on an address of its own and forwards to a healthy controller the security groups admit us to.
            String server = java.net.URI.create(workloadConfig.getMasterUrl()).getHost();
            assertThat(sandbox.ec2().loadBalancerListeners()).anyMatch(l -> l.dnsName().equals(server)
                    && l.loadBalancerName().equals("k0-dev-01-api"));
            try (KubernetesClient workload = new KubernetesClientBuilder().withConfig(workloadConfig).build()) {
                assertThat(workload.nodes().list().getItems()).hasSize(2);
            }

            // Scaling is a change in Git like any other: only the new worker joins, and the cluster is Ready again.
            Files.writeString(work.resolve("clusters/dev-01.yaml"),
                    template.replace("workers:\n      count: 2", "workers:\n      count: 3"));
            SandboxProbe.commitAndPush(work, "Scale dev-01 to 3 workers", ADA);
            await().atMost(OUTCOME).until(() -> probe.readyWith("dev-01", 2, 3));
            await().atMost(OUTCOME).until(() -> probe.slackMessages("dev-01: ready") == 2);

            // An upgrade is a change of spec.k0s.version: every node ends on the new version, none is replaced.
            List<String> instancesBeforeUpgrade = probe.runningInstances("dev-01");
            Files.writeString(work.resolve("clusters/dev-01.yaml"),
                    template.replace("workers:\n      count: 2", "workers:\n      count: 3")
                            .replace("version: \"1.28.3+k0s.0\"", "version: \"1.29.1+k0s.0\""));
            SandboxProbe.commitAndPush(work, "Upgrade dev-01 to k0s 1.29.1", ADA);
            await().atMost(OUTCOME).until(() -> probe.readyWith("dev-01", 3, 3));
            ClusterReady upgraded = probe.lastReady("dev-01").orElseThrow();
            assertThat(upgraded.k0sVersion()).isEqualTo("1.29.1+k0s.0");
            assertThat(upgraded.nodes()).hasSize(3) // the workers; a k0s controller is not a Kubernetes node
                    .allSatisfy(node -> assertThat(node.kubeletVersion()).contains("1.29.1"));
            assertThat(probe.runningInstances("dev-01")).containsExactlyInAnyOrderElementsOf(instancesBeforeUpgrade);
            await().atMost(OUTCOME).until(() -> probe.slackMessages("dev-01: ready") == 3);
            assertThat(probe.kubeconfigSecretExists(upgraded)).isTrue();

            // A definition the validator refuses (a public VPC range) is rejected, not built.
            Files.writeString(work.resolve("clusters/broken-01.yaml"), template
                    .replace("name: dev-01", "name: broken-01")
                    .replace("\"10.10.0.0/16\"", "\"8.8.0.0/16\""));
            SandboxProbe.commitAndPush(work, "Add broken-01", ADA);
            await().atMost(OUTCOME).until(() -> probe.happened(EventType.CLUSTER_DEFINITION_REJECTED, "broken-01"));
            // ... and told about, to its author, while the running cluster is untouched.
            await().atMost(OUTCOME).until(() -> probe.slackMessages("broken-01: definition rejected") == 1);
            assertThat(probe.runningInstances("dev-01")).containsExactlyInAnyOrderElementsOf(instancesBeforeUpgrade);
            assertThat(probe.lastReady("dev-01").orElseThrow().header().generation()).isEqualTo(3);
            assertThat(probe.runningInstances("broken-01")).isEmpty();

            // Deleting the file deletes the cluster.
            Files.delete(work.resolve("clusters/dev-01.yaml"));
            Files.delete(work.resolve("clusters/broken-01.yaml"));
            SandboxProbe.commitAndPush(work, "Remove dev-01", ADA);
            await().atMost(OUTCOME).until(() -> probe.happened(EventType.INFRASTRUCTURE_DESTROYED, "dev-01"));
            // Nothing is left behind: no instance, network or security group in EC2, no kubeconfig Secret.
            assertThat(probe.runningInstances("dev-01")).isEmpty();
            assertThat(probe.leftoverNetworking("dev-01")).isEmpty();
            await().atMost(OUTCOME).until(() -> !probe.kubeconfigSecretExists(upgraded));
            await().atMost(OUTCOME).until(() -> probe.slackMessages("dev-01: infrastructure destroyed") == 1);
            // One message per outcome, none doubled.
            assertThat(probe.slackMessages("dev-01: ready")).isEqualTo(3);
            assertThat(probe.slackMessages("broken-01: definition rejected")).isEqualTo(1);
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
