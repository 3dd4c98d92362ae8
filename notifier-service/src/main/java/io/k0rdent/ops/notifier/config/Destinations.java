package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.support.SecretSource;
import com.slack.api.Slack;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.commitstatus.CommitStatusNotifier;
import io.k0rdent.ops.notifier.commitstatus.CommitStatusSettings;
import io.k0rdent.ops.notifier.commitstatus.Forge;
import io.k0rdent.ops.notifier.delivery.DeliveryListener;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
import io.k0rdent.ops.notifier.delivery.Notifier;
import io.k0rdent.ops.notifier.delivery.RateLimiter;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.notifier.email.EmailNotifier;
import io.k0rdent.ops.notifier.email.SmtpSettings;
import io.k0rdent.ops.notifier.slack.SlackNotifier;
import io.k0rdent.ops.notifier.webhook.WebhookNotifier;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.opentelemetry.api.trace.Tracer;

/**
 * Every configured destination with its adapter and its worker. The commit-author destination exists
 * implicitly (an e-mail destination without fixed recipients) when author mail is on and it is not configured.
 */
public final class Destinations implements AutoCloseable {

    private final Map<String, NotificationService.Destination> byName;

    /**
     * What the adapters need besides a destination's own properties.
     *
     * @param defaultRepository {@code notifier.repository}: the repository of commit statuses whose destination
     *                          names none and whose events carry none, or {@code null}
     */
    public record Clients(Slack slack, HttpClient http, SmtpSettings smtp, SecretSource secrets, Clock clock,
                          Duration httpTimeout, String defaultRepository) {
    }

    public Destinations(List<DestinationProperties> configured, String authorDestination, Clients clients,
                        RetryPolicy retry, DeliveryListener listener, Tracer tracer) {
        Map<String, NotificationService.Destination> map = new LinkedHashMap<>();
        for (DestinationProperties props : configured) {
            if (props.type() == null) {
                throw new IllegalStateException("destination " + props.name() + ": type is required");
            }
            map.put(props.name(), destination(props.name(), notifier(props, clients), props.minInterval(),
                    clients, retry, listener, tracer));
        }
        if (authorDestination != null && !map.containsKey(authorDestination)) {
            map.put(authorDestination, destination(authorDestination,
                    new EmailNotifier(clients.smtp(), authorDestination, List.of()), null, clients, retry, listener,
                    tracer));
        }
        this.byName = Map.copyOf(map);
    }

    private static NotificationService.Destination destination(String name, Notifier notifier, Duration minInterval,
                                                               Clients clients, RetryPolicy retry,
                                                               DeliveryListener listener, Tracer tracer) {
        Duration interval = minInterval != null ? minInterval
                : notifier.channel() == Channel.SLACK || notifier.channel() == Channel.COMMIT_STATUS
                ? Duration.ofSeconds(1) : Duration.ZERO;
        DestinationWorker worker = new DestinationWorker(name, notifier, new RateLimiter(interval), retry,
                clients.clock(), listener, tracer);
        return new NotificationService.Destination(name, notifier.channel(), worker);
    }

    private static Notifier notifier(DestinationProperties props, Clients clients) {
        String what = "destination " + props.name();
        return switch (props.type()) {
            case SLACK -> new SlackNotifier(clients.slack(),
                    clients.secrets().require(what + " url", props.urlEnv(), props.urlFile()), clients.clock());
            case WEBHOOK -> new WebhookNotifier(clients.http(),
                    clients.secrets().require(what + " url", props.urlEnv(), props.urlFile()),
                    clients.secrets().resolve(what + " signing key", props.signingKeyEnv(),
                            props.signingKeyFile()).orElse(null),
                    clients.httpTimeout(), clients.clock());
            case EMAIL -> {
                if (props.to().isEmpty()) {
                    throw new IllegalStateException(what + ": an e-mail destination needs 'to' addresses");
                }
                yield new EmailNotifier(clients.smtp(), props.name(), props.to());
            }
            case COMMIT_STATUS -> new CommitStatusNotifier(clients.http(), commitStatusSettings(props, clients),
                    clients.secrets().require(what + " token", props.tokenEnv(), props.tokenFile()),
                    clients.httpTimeout(), clients.clock());
        };
    }

    private static CommitStatusSettings commitStatusSettings(DestinationProperties props, Clients clients) {
        try {
            return new CommitStatusSettings(Forge.parse(props.forge()), props.apiUrl(), props.repository(),
                    clients.defaultRepository(),
                    props.contextPrefix(), props.targetUrlTemplate());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("destination " + props.name() + ": " + e.getMessage(), e);
        }
    }

    public Map<String, NotificationService.Destination> byName() {
        return byName;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    @Override
    public void close() {
        byName.values().forEach(d -> d.worker().close());
    }
}
