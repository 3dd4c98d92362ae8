package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./k0ops} launcher rebuilds only when a build input changed: a module's own {@code src/main}
 * or a {@code pom.xml}. Before, test fixtures that Maven copies to {@code target/test-classes/.../src/main/...} made
 * every call after {@code ./mvnw verify} rebuild (issue 16). Runs the real script in a copy of the layout it reads.
 */
class LauncherStalenessTest {

    private static final Instant BUILT = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path root;

    @BeforeEach
    void aBuiltCheckout() throws IOException {
        Files.copy(Path.of("../../k0ops"), root.resolve("k0ops"));
        root.resolve("k0ops").toFile().setExecutable(true);
        file("pom.xml", BUILT.minusSeconds(60));
        file("contracts/src/main/java/Cluster.java", BUILT.minusSeconds(60));
        file("deploy/sandbox-runner/target/k0ops.classpath", BUILT);
        file("deploy/sandbox-runner/target/sandbox-runner-0.1.0-SNAPSHOT.jar", BUILT);
    }

    @Test
    void nothingChangedMeansNoRebuild() throws Exception {
        assertThat(check()).isEqualTo("up to date");
    }

    @Test
    void buildOutputAndSandboxStateNeverCount() throws Exception {
        Instant later = BUILT.plusSeconds(60);
        file("deploy/manifests/target/test-classes/fixtures/src/main/resources/app.yaml", later);
        file("provisioner-service/target/classes/src/main/x.txt", later);
        file(".k0ops/hosts/src/main/hosts.json", later);
        file("gitops/src/main/clusters/a.yaml", later);
        file("contracts/src/test/java/SomeTest.java", later);

        assertThat(check()).isEqualTo("up to date");
    }

    @Test
    void aChangedSourceOrPomSaysWhichFile() throws Exception {
        file("provisioner-service/src/main/java/Ec2Gateway.java", BUILT.plusSeconds(60));
        assertThat(check()).isEqualTo("provisioner-service/src/main/java/Ec2Gateway.java changed since the last build");

        Files.delete(root.resolve("provisioner-service/src/main/java/Ec2Gateway.java"));
        file("notifier-service/pom.xml", BUILT.plusSeconds(60));
        assertThat(check()).isEqualTo("notifier-service/pom.xml changed since the last build");
    }

    @Test
    void noBuildYetIsSaidSo() throws Exception {
        Files.delete(root.resolve("deploy/sandbox-runner/target/sandbox-runner-0.1.0-SNAPSHOT.jar"));
        assertThat(check()).isEqualTo("no build yet");
    }

    private String check() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("k0ops").toString()).redirectErrorStream(true);
        builder.environment().put("K0OPS_STALE_CHECK", "1");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    private void file(String relative, Instant modified) throws IOException {
        Path path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, relative);
        Files.setLastModifiedTime(path, FileTime.from(modified));
    }
}
