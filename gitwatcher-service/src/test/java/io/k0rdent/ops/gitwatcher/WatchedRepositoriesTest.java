package io.k0rdent.ops.gitwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedRepositoriesTest {

    /** An entry with the defaults {@code k0rdent.gitwatcher.repositories[n]} binds; the tests change one thing each. */
    private static RepositoryProperties props(int index, String url) {
        return props(index, url, null, null, null, null, null);
    }

    private static RepositoryProperties props(int index, String url, String username, String passwordEnv,
                                              String knownHostsFile, String webhookSecretEnv, String webhookSecretFile) {
        return new RepositoryProperties(index, url, "main", List.of("clusters/**/*.yaml", "clusters/**/*.yml"),
                Duration.ofSeconds(60), 0.2, username, passwordEnv, null, null, knownHostsFile, null, webhookSecretEnv,
                webhookSecretFile, List.of());
    }

    @Test
    void secretsComeFromEnvironmentAndFilesAndNeverPrint(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("webhook-secret");
        Files.writeString(secretFile, "from-file-secret\n");
        RepositoryProperties p = props(0, "https://bot:inline-pass@git.example.com/x/clusters.git", "bot", "GIT_TOKEN",
                null, null, secretFile.toString());

        WatchedRepository r = new WatchedRepositories(List.of(p), Map.of("GIT_TOKEN", "env-token")).all().get(0);

        assertThat(r.key().repository()).isEqualTo("https://git.example.com/x/clusters.git");
        assertThat(r.key().branch()).isEqualTo("main");
        assertThat(r.pollInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.paths().matches("clusters/a.yml")).isTrue();
        assertThat(r.credentials().password().reveal()).isEqualTo("env-token");
        assertThat(r.webhookSecret().reveal()).isEqualTo("from-file-secret");
        assertThat(r.toString()).doesNotContain("env-token").doesNotContain("from-file-secret").doesNotContain("inline-pass");
        assertThat(p.toString()).doesNotContain("inline-pass").contains("git.example.com/x/clusters.git");
    }

    @Test
    void missingSecretIsAConfigurationErrorNamingTheVariableOnly() {
        RepositoryProperties p = props(0, "file:///r.git", null, null, null, "NOT_SET", null);

        assertThatThrownBy(() -> new WatchedRepositories(List.of(p), Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("NOT_SET");
    }

    @Test
    void theSameBranchTwiceIsRefused() {
        assertThatThrownBy(() -> new WatchedRepositories(List.of(props(0, "file:///r.git"), props(1, "file:///r.git")), Map.of()))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void aKnownHostsFileAloneIsKeptForTheSshFetch() {
        // Without it the fetch would fall back to ~/.ssh/known_hosts, not the file the operator configured.
        RepositoryProperties p = props(0, "ssh://git@git.example.com/x/clusters.git", null, null,
                "/etc/gitwatcher/known_hosts", null, null);

        WatchedRepository r = new WatchedRepositories(List.of(p), Map.of()).all().get(0);

        assertThat(r.credentials()).isNotNull();
        assertThat(r.credentials().knownHostsFile()).isEqualTo("/etc/gitwatcher/known_hosts");
        assertThat(r.credentials().sshKeyFile()).isNull();
    }
}
