package io.k0rdent.ops.notifier.webhook;

import io.k0rdent.ops.support.Secret;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.notifier.delivery.HttpOutcomes;
import io.k0rdent.ops.notifier.delivery.Notifier;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.message.Fact;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts a JSON document to a generic HTTP endpoint (chat bridges, incident tools), optionally signed:
 * {@code X-K0rdent-Signature: sha256=<hex HMAC-SHA256 of the body bytes>}, like GitHub's webhook signature.
 */
public final class WebhookNotifier implements Notifier {

    /** The signature header. */
    public static final String SIGNATURE_HEADER = "X-K0rdent-Signature";

    private final HttpClient http;
    private final Secret url;
    private final Secret signingKey;
    private final Duration timeout;
    private final Clock clock;
    private final ObjectMapper json = EventJson.newMapper();

    /** @param signingKey HMAC key, or {@code null} to send unsigned */
    public WebhookNotifier(HttpClient http, Secret url, Secret signingKey, Duration timeout, Clock clock) {
        this.http = http;
        this.url = url;
        this.signingKey = signingKey;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    @Override
    public SendOutcome send(OutgoingMessage message) {
        byte[] body = body(message);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.reveal()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-K0rdent-Delivery", message.id() + "/" + message.destination())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signingKey != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + sign(signingKey.reveal(), body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return HttpOutcomes.classify(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null), clock);
        } catch (IOException e) {
            return new SendOutcome.RetryLater(null, "I/O error: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.RetryLater(null, "interrupted");
        }
    }

    /** Hex HMAC-SHA256 of {@code body} under {@code key}. */
    public static String sign(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    byte[] body(OutgoingMessage message) {
        var content = message.content();
        WebhookBody body = new WebhookBody(message.id().toString(), message.destination(), content.title(),
                content.severity().name().toLowerCase(Locale.ROOT), content.eventCount(), content.facts(),
                content.clusters(), content.omittedClusters(), message.subjects());
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a webhook body", e);
        }
    }

    /** The JSON document a webhook receives. */
    record WebhookBody(String messageId, String destination, String title, String severity, int eventCount,
                       List<Fact> facts, List<String> clusters, int omittedClusters,
                       List<OutgoingMessage.SubjectEvent> events) {
    }
}
