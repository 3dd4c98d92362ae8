package io.k0rdent.ops.notifier.slack;

import io.k0rdent.ops.support.Secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import io.k0rdent.ops.notifier.FakeHttpEndpoint.Answer;
import io.k0rdent.ops.notifier.FakeHttpEndpoint;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Slack adapter against a real local HTTP server standing in for Slack. */
class SlackNotifierIT {

    private static final String HOOK = "/services/T000/B000/secret";
    private final FakeHttpEndpoint slackServer = new FakeHttpEndpoint();
    private final Slack slack = Slack.getInstance();
    private final SlackNotifier notifier = new SlackNotifier(slack, Secret.of(slackServer.url(HOOK)),
            Clock.systemUTC());
    private final OutgoingMessage message = message();

    SlackNotifierIT() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        slackServer.close();
        slack.close();
    }

    @Test
    void postsBlockKitJson() throws Exception {
        assertThat(notifier.send(message)).isInstanceOf(SendOutcome.Delivered.class);

        FakeHttpEndpoint.Request request = slackServer.requests(HOOK).get(0);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode json = new ObjectMapper().readTree(request.body());
        assertThat(json.path("text").asText()).isEqualTo("dev-01: ready");
        JsonNode blocks = json.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(1).path("type").asText()).isEqualTo("section");
        assertThat(blocks.get(1).path("fields").get(0).path("type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).path("fields").get(0).path("text").asText()).isEqualTo("*Cluster*\ndev-01");
        assertThat(request.body()).contains("k0ops kubeconfig dev-01")
                .doesNotContain("kubeconfig:");
    }

    @Test
    void rateLimitedAnswerCarriesRetryAfter() {
        slackServer.script(new Answer(429, "rate_limited", Map.of("Retry-After", "3")));

        assertThat(notifier.send(message)).isEqualTo(new SendOutcome.RetryLater(Duration.ofSeconds(3),
                "HTTP 429 rate_limited"));
    }

    @Test
    void serverErrorIsRetried() {
        slackServer.script(new Answer(500, "internal_error", Map.of()));

        assertThat(notifier.send(message)).isInstanceOf(SendOutcome.RetryLater.class);
    }

    @Test
    void noServiceIsPermanentAndDoesNotRevealTheUrl() {
        slackServer.script(new Answer(404, "no_service", Map.of()));

        SendOutcome outcome = notifier.send(message);

        assertThat(outcome).isEqualTo(new SendOutcome.PermanentFailure("HTTP 404 no_service"));
        assertThat(outcome.toString()).doesNotContain("secret");
    }

    @Test
    void connectionRefusedIsRetriedWithoutTheUrlInTheReason() {
        slackServer.close();

        SendOutcome outcome = notifier.send(message);

        assertThat(outcome).isInstanceOf(SendOutcome.RetryLater.class);
        assertThat(outcome.toString()).doesNotContain("127.0.0.1").doesNotContain("secret");
    }

    private static OutgoingMessage message() {
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("dev-01"), null)));
        return new OutgoingMessage(UUID.randomUUID(), "team-slack", null, content, List.of());
    }
}
