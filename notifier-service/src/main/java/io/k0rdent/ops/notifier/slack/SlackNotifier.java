package io.k0rdent.ops.notifier.slack;

import io.k0rdent.ops.support.Secret;
import com.slack.api.Slack;
import com.slack.api.webhook.WebhookResponse;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.delivery.HttpOutcomes;
import io.k0rdent.ops.notifier.delivery.Notifier;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Posts to one Slack incoming webhook with the Slack SDK. The webhook URL is the credential: it is
 * used here and nowhere else, and no failure reason contains it.
 */
public final class SlackNotifier implements Notifier {

    private final Slack slack;
    private final Secret webhookUrl;
    private final Clock clock;

    public SlackNotifier(Slack slack, Secret webhookUrl, Clock clock) {
        this.slack = slack;
        this.webhookUrl = webhookUrl;
        this.clock = clock;
    }

    @Override
    public Channel channel() {
        return Channel.SLACK;
    }

    @Override
    public SendOutcome send(OutgoingMessage message) {
        WebhookResponse response;
        try {
            response = slack.send(webhookUrl.reveal(), SlackBlocks.payload(message.content()));
        } catch (IOException e) {
            // Timeouts and refused connections. The exception text may contain the host, so only its type is kept.
            return new SendOutcome.RetryLater(null, "I/O error: " + e.getClass().getSimpleName());
        }
        int code = response.getCode() == null ? 0 : response.getCode();
        return HttpOutcomes.classify(code, response.getBody(), header(response.getHeaders(), "Retry-After"), clock);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
