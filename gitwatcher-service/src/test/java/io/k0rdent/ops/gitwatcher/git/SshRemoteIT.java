package io.k0rdent.ops.gitwatcher.git;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.gitwatcher.support.GitFixture;
import io.k0rdent.ops.gitwatcher.support.GitSshServer;
import io.k0rdent.ops.gitwatcher.support.GitwatcherApp;
import io.k0rdent.ops.gitwatcher.sync.RepositoryStatus;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code ssh://} remote served by a real SSH server (Apache MINA SSHD running JGit's upload-pack), with
 * public-key login from the configured key file and the host key checked against the configured known_hosts.
 */
@KafkaIntegrationTest
class SshRemoteIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The client's key where the gitwatcher's {@code ssh-key-file} points, in OpenSSH format as ssh-keygen writes it. */
    private static Path writePrivateKey(Path dir, KeyPair key) throws IOException, GeneralSecurityException {
        Path file = dir.resolve("ssh/id_ecdsa");
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "gitwatcher-test", null, out);
        }
        return file;
    }

    /** A known_hosts line for the server's address, as {@code ssh-keyscan -p <port> 127.0.0.1} would write it. */
    private static Path writeKnownHosts(Path dir, int port, PublicKey hostKey) throws IOException {
        Path file = dir.resolve("ssh/known_hosts");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, Object> sshRepository(String url, Path keyFile, Path knownHosts) {
        Map<String, Object> repository = new HashMap<>(GitwatcherApp.repository(url, "main", Duration.ofMillis(300)));
        repository.put("ssh-key-file", keyFile.toString());
        repository.put("known-hosts-file", knownHosts.toString());
        return repository;
    }

    @Test
    void pushedDefinitionIsFetchedOverSshAndPublished(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        KeyPair hostKey = ecKeyPair();
        KeyPair clientKey = ecKeyPair();
        try (GitFixture git = GitFixture.create(dir, "main");
             GitSshServer ssh = GitSshServer.start(hostKey, clientKey.getPublic(), git.remotePath())) {
            Path keyFile = writePrivateKey(dir, clientKey);
            Path knownHosts = writeKnownHosts(dir, ssh.port(), hostKey.getPublic());
            String initial = git.commit("empty");
            git.push();
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                    List.of(sshRepository(ssh.url(git.remotePath()), keyFile, knownHosts)), Map.of())) {
                app.awaitProcessed(initial);

                git.write("clusters/a.yaml", cluster("a"));
                String added = git.commit("Add a");
                git.push();

                app.awaitProcessed(added);
                assertThat(app.events()).singleElement().isInstanceOfSatisfying(ClusterDefinitionCreated.class,
                        created -> assertThat(created.definition().metadata().name()).isEqualTo("a"));
                RepositoryStatus status = app.status();
                assertThat(status.lastError()).isNull();
                assertThat(status.repository()).isEqualTo(ssh.url(git.remotePath()).replace("git@", ""));
            }
            assertThat(ssh.uploads()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void wrongHostKeyIsAClearErrorAndNothingIsFetched(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        KeyPair hostKey = ecKeyPair();
        KeyPair clientKey = ecKeyPair();
        try (GitFixture git = GitFixture.create(dir, "main");
             GitSshServer ssh = GitSshServer.start(hostKey, clientKey.getPublic(), git.remotePath())) {
            Path keyFile = writePrivateKey(dir, clientKey);
            // known_hosts names this address with another key: a man in the middle, as far as the client can tell.
            Path knownHosts = writeKnownHosts(dir, ssh.port(), ecKeyPair().getPublic());
            git.write("clusters/a.yaml", cluster("a"));
            git.commit("Add a");
            git.push();
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                    List.of(sshRepository(ssh.url(git.remotePath()), keyFile, knownHosts)), Map.of())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> app.status().consecutiveFailures() >= 2);

                HttpResponse<String> repositories = http.send(HttpRequest.newBuilder(
                        URI.create(app.server().getURL() + "/repositories")).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(repositories.statusCode()).isEqualTo(200);
                assertThat(repositories.body()).contains("\"lastError\":\"GitAccessException");
                assertThat(app.status().lastError()).contains("Server key did not validate")
                        .contains("host key is not in known_hosts file " + knownHosts);
                assertThat(repositories.body()).contains("host key is not in known_hosts file");
                assertThat(app.status().lastProcessedCommit()).isNull();
                assertThat(ssh.uploads()).as("no fetch got past the host key check").isZero();
                app.awaitStable();
                assertThat(app.events()).isEmpty();
            }
        }
    }
}
