package io.k0rdent.ops.notifier.webhook;

import io.k0rdent.ops.support.Secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.notifier.FakeHttpEndpoint.Answer;
import io.k0rdent.ops.notifier.FakeHttpEndpoint;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generic webhook adapter against a real local HTTP server. */
class WebhookNotifierIT {

    private final FakeHttpEndpoint receiver = new FakeHttpEndpoint();
    private final HttpClient http = HttpClient.newHttpClient();

    WebhookNotifierIT() throws Exception {
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void postsSignedJson() throws Exception {
        WebhookNotifier notifier = new WebhookNotifier(http, Secret.of(receiver.url("/hook")), Secret.of("s3cret"),
                Duration.ofSeconds(5), Clock.systemUTC());
        var event = TestEvents.ready("dev-01");
        var content = new MessageRenderer(null, null).render(List.of(new Notice(event, null)));
        var message = new OutgoingMessage(event.header().eventId(), "incidents", null, content,
                List.of(new OutgoingMessage.SubjectEvent(event.header().eventId(), event.type().ceType(), "dev-01")));

        assertThat(notifier.send(message)).isInstanceOf(SendOutcome.Delivered.class);

        FakeHttpEndpoint.Request request = receiver.requests("/hook").get(0);
        String expected = "sha256=" + WebhookNotifier.sign("s3cret", request.body().getBytes(StandardCharsets.UTF_8));
        assertThat(request.header(WebhookNotifier.SIGNATURE_HEADER)).isEqualTo(expected);
        JsonNode json = new ObjectMapper().readTree(request.body());
        assertThat(json.path("title").asText()).isEqualTo("dev-01: ready");
        assertThat(json.path("destination").asText()).isEqualTo("incidents");
        assertThat(json.path("events").get(0).path("eventId").asText()).isEqualTo(event.header().eventId().toString());
        assertThat(request.body()).doesNotContain("s3cret");
    }

    @Test
    void aTimeoutIsRetried() {
        receiver.stall("/slow");
        WebhookNotifier notifier = new WebhookNotifier(http, Secret.of(receiver.url("/slow")), null,
                Duration.ofMillis(300), Clock.systemUTC());
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("a"), null)));

        SendOutcome outcome = notifier.send(new OutgoingMessage(UUID.randomUUID(), "hook", null, content, List.of()));

        assertThat(outcome).isEqualTo(new SendOutcome.RetryLater(null, "I/O error: HttpTimeoutException"));
    }

    @Test
    void unsignedWhenNoKeyAndClassifiesAnswers() {
        WebhookNotifier notifier = new WebhookNotifier(http, Secret.of(receiver.url("/hook")), null,
                Duration.ofSeconds(5), Clock.systemUTC());
        receiver.script(new Answer(429, "", Map.of("Retry-After", "2")), new Answer(400, "bad", Map.of()));
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("a"), null)));
        var message = new OutgoingMessage(UUID.randomUUID(), "hook", null, content, List.of());

        assertThat(notifier.send(message)).isEqualTo(new SendOutcome.RetryLater(Duration.ofSeconds(2), "HTTP 429"));
        assertThat(notifier.send(message)).isInstanceOf(SendOutcome.PermanentFailure.class);
        assertThat(receiver.requests().get(0).header(WebhookNotifier.SIGNATURE_HEADER)).isNull();
    }
}
