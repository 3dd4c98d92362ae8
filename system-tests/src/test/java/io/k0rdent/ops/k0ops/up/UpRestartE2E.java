package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterReady;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        SandboxLayout layout = new SandboxLayout(dir.resolve(".k0ops"), dir.resolve("gitops"), root, 0, 0);
        String template;
        List<String> instancesBefore;
        ClusterReady readyBefore;
        try (SandboxWorld sandbox = SandboxWorld.start(layout, line -> System.out.println("[sandbox 1] " + line))) {
            SandboxProbe probe = new SandboxProbe(sandbox);
            Path work = sandbox.gitops().workDir();
            template = Files.readString(work.resolve("templates/cluster-template.yaml"));
            Files.writeString(work.resolve("clusters/dev-01.yaml"), template);
            SandboxProbe.commitAndPush(work, "Add dev-01", ADA);
            await().atMost(OUTCOME).until(() -> probe.lastReady("dev-01").isPresent());
            readyBefore = probe.lastReady("dev-01").orElseThrow();
            assertThat(readyBefore.header().generation()).isEqualTo(1);
            assertThat(readyBefore.nodes()).hasSize(2);
            instancesBefore = probe.runningInstances("dev-01");
            assertThat(instancesBefore).hasSize(3); // one controller, two workers
        }
        assertThat(layout.stateDir().resolve("ec2/state.json")).exists();
        assertThat(layout.stateDir().resolve("hosts/hosts.json")).exists();
        assertThat(layout.stateDir().resolve("management/objects.json")).exists();

        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        try (SandboxWorld sandbox = SandboxWorld.start(layout, line -> {
            progress.add(line);
            System.out.println("[sandbox 2] " + line);
        })) {
            SandboxProbe probe = new SandboxProbe(sandbox);
            assertThat(progress).anyMatch(line -> line.startsWith("EC2 emulator ready")
                    && line.contains("restored 1 VPCs, 3 instances"));
            assertThat(progress).anyMatch(line -> line.startsWith("simulated SSH hosts ready")
                    && line.contains("restored 3 hosts, 1 cluster APIs"));
            // Nothing the provisioner or bootstrap service did is lost: the instances run, the Secret is there.
            assertThat(probe.runningInstances("dev-01")).containsExactlyInAnyOrderElementsOf(instancesBefore);
            assertThat(probe.kubeconfigSecretExists(readyBefore)).isTrue();

            Path work = sandbox.gitops().workDir();
            Files.writeString(work.resolve("clusters/dev-01.yaml"),
                    template.replace("workers:\n      count: 2", "workers:\n      count: 3"));
            SandboxProbe.commitAndPush(work, "Scale dev-01 to 3 workers", ADA);
            await().atMost(OUTCOME).until(() -> probe.lastReady("dev-01")
                    .filter(r -> r.header().generation() == 2).isPresent());

            ClusterReady scaled = probe.lastReady("dev-01").orElseThrow();
            assertThat(scaled.nodes()).hasSize(3);
            List<String> instancesAfter = probe.runningInstances("dev-01");
            // No relaunch: the three instances from before still run, and exactly one was launched after the restart.
            assertThat(instancesAfter).hasSize(4).containsAll(instancesBefore);
            assertThat(sandbox.ec2().audit().launchedInstanceIds()).hasSize(1)
                    .doesNotContainAnyElementsOf(instancesBefore);
            assertThat(probe.kubeconfigSecretExists(scaled)).isTrue();
        }
    }
}
