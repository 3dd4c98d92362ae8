package io.k0rdent.ops.sandbox.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's forge stand-in answers Gitea's commit status API as Gitea documents it. */
class ForgeStatusSinkIT {

    private static final String SHA = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> post(ForgeStatusSink sink, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sink.apiUrl() + "/repos/"
                        + ForgeStatusSink.REPOSITORY + "/statuses/" + SHA))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptsAStatusWithTheTokenAndKeepsItInItsFile() throws Exception {
        Path log = dir.resolve("forge/statuses.jsonl");
        try (ForgeStatusSink sink = ForgeStatusSink.start(0, "s3cret", log, Clock.systemUTC())) {
            HttpResponse<String> created = post(sink, "token s3cret",
                    "{\"state\":\"pending\",\"context\":\"k0rdent/dev-01\",\"description\":\"Definition accepted\"}");

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.body()).contains("\"status\":\"pending\"", "\"context\":\"k0rdent/dev-01\"");
            assertThat(Files.readAllLines(log)).singleElement().asString().contains("k0rdent/dev-01");
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(sink.apiUrl() + "/repos/"
                    + ForgeStatusSink.REPOSITORY + "/statuses/" + SHA)).header("Authorization", "token s3cret")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listed.body()).contains("Definition accepted");
        }
    }

    @Test
    void refusesAWrongTokenAnUnknownStateAndUnknownFields() throws Exception {
        try (ForgeStatusSink sink = ForgeStatusSink.start(0, "s3cret", dir.resolve("s.jsonl"), Clock.systemUTC())) {
            assertThat(post(sink, "token nope", "{\"state\":\"success\"}").statusCode()).isEqualTo(401);
            assertThat(post(sink, null, "{\"state\":\"success\"}").statusCode()).isEqualTo(401);
            assertThat(post(sink, "token s3cret", "{\"state\":\"failed\"}").statusCode()).isEqualTo(422);
            assertThat(post(sink, "token s3cret", "{\"state\":\"success\",\"name\":\"x\"}").statusCode())
                    .isEqualTo(422);
            assertThat(sink.statuses()).isEmpty();
        }
    }

    @Test
    void theNotifierSettingsNameTheSinkAsAGiteaCommitStatusDestination() throws Exception {
        try (ForgeStatusSink sink = ForgeStatusSink.start(0, "s3cret", dir.resolve("s.jsonl"), Clock.systemUTC())) {
            var settings = sink.notifierSettings(dir.resolve("token"));

            assertThat(settings).containsEntry("k0rdent.notifier.destinations.sandbox-forge.type", "commit-status")
                    .containsEntry("k0rdent.notifier.destinations.sandbox-forge.forge", "gitea")
                    .containsEntry("k0rdent.notifier.destinations.sandbox-forge.api-url", sink.apiUrl())
                    .containsEntry("k0rdent.notifier.routes.commit-statuses.keep-default", "true");
        }
    }
}
