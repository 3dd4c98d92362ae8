package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.support.Secret;
import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITEA_BODY_SECRET;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITEA_PUSH_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITHUB_PUSH_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITHUB_TAG_DELETED_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.SECRET;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.formEncoded;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.gitwatcher.support.GitFixture;
import io.k0rdent.ops.gitwatcher.support.GitwatcherApp;
import io.k0rdent.ops.gitwatcher.sync.RepositoryStatus;
import io.k0rdent.ops.gitwatcher.sync.SyncScheduler;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Real HTTP requests with the shared fixtures against the running service. Polling is set to an hour,
 * so a branch only syncs when a webhook asks for it.
 */
@KafkaIntegrationTest
class PushWebhookIT {

    private static final Duration NO_POLL = Duration.ofHours(1);

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(GitwatcherApp app, String provider, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().getURL() + "/webhooks/" + provider))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(GitwatcherApp app, String provider, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.server().getURL() + "/webhooks/" + provider))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RepositoryStatus status(GitwatcherApp app, String branch) {
        return app.bean(SyncScheduler.class).statuses().stream().filter(s -> s.branch().equals(branch)).findFirst().orElseThrow();
    }

    @Test
    void signedPushesTriggerASyncAndEverythingElseIsRefused(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        // DEBUG for our code and the HTTP server, so the secret check below also covers what only debug logs say.
        List<Logger> verbose = List.of((Logger) LoggerFactory.getLogger("io.k0rdent"),
                (Logger) LoggerFactory.getLogger("io.micronaut.http"));
        verbose.forEach(logger -> logger.setLevel(Level.DEBUG));
        try (GitFixture git = GitFixture.create(dir, "master")) {
            git.pushTo("develop");
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"), List.of(
                    GitwatcherApp.repository(git.remoteUrl(), "master", NO_POLL, "Codertocat/Hello-World", "mike/diaspora"),
                    GitwatcherApp.repository(git.remoteUrl(), "develop", NO_POLL, "gitea/webhooks")), Map.of())) {
                // The start-up sync of both branches.
                await().atMost(Duration.ofSeconds(30)).until(() -> status(app, "master").lastProcessedCommit() != null
                        && status(app, "develop").lastProcessedCommit() != null);

                git.write("clusters/a.yaml", cluster("a"));
                String added = git.commit("Add a");
                git.push();

                byte[] github = webhook("github-push.json");
                byte[] tampered = github.clone();
                tampered[200] ^= 1;
                ObjectMapper mapper = new ObjectMapper();
                byte[] reSerialized = mapper.writeValueAsBytes(mapper.readTree(github));
                String valid = "sha256=" + GITHUB_PUSH_HMAC;
                assertThat(post(app, "github", github, "X-Hub-Signature-256", "sha256=" + new Secret0("wrong").hmac(github)).statusCode()).isEqualTo(401);
                assertThat(post(app, "github", tampered, "X-Hub-Signature-256", valid).statusCode()).isEqualTo(401);
                assertThat(post(app, "github", github).statusCode()).isEqualTo(401);
                assertThat(post(app, "github", github, "X-Hub-Signature-256", "sha1=" + GITHUB_PUSH_HMAC).statusCode()).isEqualTo(401);
                assertThat(post(app, "github", github, "X-Hub-Signature-256", valid.toUpperCase(Locale.ROOT).replace("SHA256=", "sha256="))
                        .statusCode()).isEqualTo(401);
                assertThat(post(app, "github", reSerialized, "X-Hub-Signature-256", valid).statusCode()).isEqualTo(401);
                assertThat(post(app, "gitea", webhook("gitea-push.json"), "X-Gitea-Signature", "sha256=" + GITEA_PUSH_HMAC)
                        .statusCode()).isEqualTo(401);
                assertThat(post(app, "gitlab", webhook("gitlab-push.json"), "X-Gitlab-Token", "not-the-secret").statusCode()).isEqualTo(401);
                assertThat(post(app, "github", new byte[0]).statusCode()).isEqualTo(401);
                assertThat(status(app, "master").lastProcessedCommit()).as("no refused request synced").isNotEqualTo(added);

                HttpResponse<String> accepted = post(app, "github", github, "X-Hub-Signature-256", valid,
                        "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-GitHub-Event", "push");
                assertThat(accepted.statusCode()).isEqualTo(202);
                assertThat(accepted.body()).contains("triggered");
                app.awaitProcessed(added);
                assertThat(app.events()).singleElement().isInstanceOf(ClusterDefinitionCreated.class);

                HttpResponse<String> redelivery = post(app, "github", github, "X-Hub-Signature-256", valid,
                        "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
                assertThat(redelivery.statusCode()).isEqualTo(202);
                assertThat(redelivery.body()).contains("duplicate");

                // Correctly signed but nested 5,000 levels deep: a clean 400 that carries no exception text.
                byte[] nested = ("{\"ref\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> deep = post(app, "github", nested, "X-Hub-Signature-256",
                        "sha256=" + new Secret0(SECRET).hmac(nested), "X-GitHub-Delivery", "deep-1");
                assertThat(deep.statusCode()).isEqualTo(400);
                assertThat(deep.body()).contains("malformed").doesNotContainIgnoringCase("exception")
                        .doesNotContain("jackson").doesNotContain("\tat ");

                HttpResponse<String> tag = post(app, "github", webhook("github-push-tag-deleted.json"),
                        "X-Hub-Signature-256", "sha256=" + GITHUB_TAG_DELETED_HMAC);
                assertThat(tag.statusCode()).isEqualTo(202);
                assertThat(tag.body()).contains("ignored");

                git.write("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16"));
                String viaGitlab = git.commit("Add b");
                git.push();
                assertThat(post(app, "gitlab", webhook("gitlab-push.json"), "X-Gitlab-Token", SECRET,
                        "X-Gitlab-Event", "Push Hook").statusCode()).isEqualTo(202);
                app.awaitProcessed(viaGitlab);

                git.pushTo("develop");
                HttpResponse<String> gitea = post(app, "gitea", webhook("gitea-push.json"), "X-Gitea-Signature", GITEA_PUSH_HMAC,
                        "X-Gitea-Event", "push", "X-GitHub-Event", "push");
                assertThat(gitea.statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> viaGitlab.equals(status(app, "develop").lastProcessedCommit()));

                byte[] junk = "{\"ref\": \"refs/heads/master\",".getBytes(StandardCharsets.UTF_8);
                assertThat(post(app, "github", junk, "X-Hub-Signature-256", "sha256=" + new Secret0(SECRET).hmac(junk))
                        .statusCode()).isEqualTo(400);
                byte[] huge = new byte[1536 * 1024];
                assertThat(post(app, "github", huge, "X-Hub-Signature-256", "sha256=" + new Secret0(SECRET).hmac(huge))
                        .statusCode()).isEqualTo(413);
            }
        } finally {
            root.detachAppender(logs);
            verbose.forEach(logger -> logger.setLevel(null));
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            assertThat(line).doesNotContain(SECRET).doesNotContain(GITEA_BODY_SECRET);
        }
    }

    @Test
    void formEncodedPushesAreVerifiedOverTheBytesSentAndTriggerASync(KafkaTestContext kafka, @TempDir Path dir) throws Exception {
        try (GitFixture git = GitFixture.create(dir, "master")) {
            git.pushTo("develop");
            try (GitwatcherApp app = GitwatcherApp.start(kafka, dir.resolve("mirrors"), List.of(
                    GitwatcherApp.repository(git.remoteUrl(), "master", NO_POLL, "Codertocat/Hello-World"),
                    GitwatcherApp.repository(git.remoteUrl(), "develop", NO_POLL, "gitea/webhooks")), Map.of())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> status(app, "master").lastProcessedCommit() != null
                        && status(app, "develop").lastProcessedCommit() != null);
                git.write("clusters/a.yaml", cluster("a"));
                String added = git.commit("Add a");
                git.push();

                byte[] github = formEncoded("github-push.json");
                // Signed as the JSON it decodes to, not as sent: refused.
                assertThat(postForm(app, "github", github, "X-Hub-Signature-256", "sha256=" + GITHUB_PUSH_HMAC).statusCode())
                        .isEqualTo(401);
                assertThat(status(app, "master").lastProcessedCommit()).isNotEqualTo(added);

                HttpResponse<String> accepted = postForm(app, "github", github,
                        "X-Hub-Signature-256", "sha256=" + new Secret0(SECRET).hmac(github), "X-GitHub-Event", "push");
                assertThat(accepted.statusCode()).isEqualTo(202);
                assertThat(accepted.body()).contains("triggered");
                app.awaitProcessed(added);
                assertThat(app.events()).singleElement().isInstanceOf(ClusterDefinitionCreated.class);

                git.pushTo("develop");
                byte[] gitea = formEncoded("gitea-push.json");
                HttpResponse<String> viaGitea = postForm(app, "gitea", gitea, "X-Gitea-Signature", new Secret0(SECRET).hmac(gitea));
                assertThat(viaGitea.statusCode()).isEqualTo(202);
                assertThat(viaGitea.body()).contains("triggered");
                await().atMost(Duration.ofSeconds(30)).until(() -> added.equals(status(app, "develop").lastProcessedCommit()));
            }
        }
    }

    /** Signs like a Git host does. */
    private record Secret0(String value) {
        String hmac(byte[] body) {
            return WebhookSignatureVerifier.hmacHex(Secret.of(value), body);
        }
    }
}
