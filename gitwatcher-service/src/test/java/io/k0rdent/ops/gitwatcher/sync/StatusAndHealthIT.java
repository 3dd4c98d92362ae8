package io.k0rdent.ops.gitwatcher.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.gitwatcher.support.GitFixture;
import io.k0rdent.ops.gitwatcher.support.GitwatcherApp;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /repositories} and the health endpoint, over HTTP. */
@KafkaIntegrationTest
class StatusAndHealthIT {

    private static final String PASSWORD = "hunter2-token";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(GitwatcherApp app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.server().getURL() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void repositoriesShowProgressAndErrorsButNoCredentials(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        String unreachable = "https://bot:" + PASSWORD + "@127.0.0.1:" + closedPort() + "/platform/clusters.git";
        try (GitFixture git = GitFixture.create(dir, "main")) {
            String head = git.commit("empty");
            git.push();
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"), List.of(
                    GitwatcherApp.repository(git.remoteUrl(), "main", Duration.ofMillis(300)),
                    GitwatcherApp.repository(unreachable, "main", Duration.ofMillis(300))), Map.of())) {
                app.awaitProcessed(head);
                await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(SyncScheduler.class).statuses().get(1)
                        .consecutiveFailures() >= 2);

                HttpResponse<String> response = get(app, "/repositories");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body())
                        .contains("\"lastProcessedCommit\":\"" + head + "\"")
                        .contains("\"branch\":\"main\"")
                        .contains("\"lastFetchAt\"")
                        .contains("https://127.0.0.1:")
                        .contains("\"lastError\":\"GitAccessException")
                        .doesNotContain(PASSWORD).doesNotContain("bot:").doesNotContain("bot@");
                // The failing repository did not stop the service or the other repository.
                assertThat(get(app, "/health").statusCode()).isEqualTo(200);
                assertThat(get(app, "/prometheus").body())
                        .contains("gitwatcher_sync_seconds_count{branch=\"main\",outcome=\"processed\"")
                        .contains("outcome=\"failed\"");
            }
        }
    }

    @Test
    void healthIsDownWhileTheBrokerIsUnreachable(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        try (GitFixture git = GitFixture.create(dir, "main");
             GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"),
                     List.of(GitwatcherApp.repository(git.remoteUrl(), "main", Duration.ofHours(1))),
                     Map.of("kafka.bootstrap.servers", "127.0.0.1:" + closedPort(),
                             "k0rdent.gitwatcher.kafka-timeout", "2s"))) {
            HttpResponse<String> health = get(app, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN").contains("kafka");
        }
    }
}
