package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.gitwatcher.GitwatcherProperties;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.WatchedRepositories;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a push webhook request means, in this order: too large ({@code 413}); not signed with
 * the secret of any watched repository ({@code 401}); not a readable push ({@code 400}, and not remembered);
 * a redelivery ({@code 202}, nothing done); not a watched branch, e.g. a tag ({@code 202}, ignored); otherwise a sync
 * of the branch is triggered ({@code 202}). The signature is checked before the body is parsed, so an
 * unauthenticated body is never interpreted, and the secret is chosen by trying each watched
 * repository's (the body does not say which repository it is until it is parsed).
 *
 * <p>It does no Git work: the sync runs later on the scheduler's threads.
 */
@Singleton
public class PushWebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PushWebhookHandler.class);

    private final List<WatchedRepository> repositories;
    private final SyncTrigger trigger;
    private final int maxPayloadBytes;
    private final DeliveryDeduplicator deliveries;
    private final PushEventParser parser = new PushEventParser();

    public PushWebhookHandler(WatchedRepositories repositories, SyncTrigger trigger, GitwatcherProperties properties) {
        this(repositories.all(), trigger, properties.webhookMaxPayloadBytes(),
                new DeliveryDeduplicator(properties.webhookDedupeCapacity()));
    }

    PushWebhookHandler(List<WatchedRepository> repositories, SyncTrigger trigger, int maxPayloadBytes,
                       DeliveryDeduplicator deliveries) {
        this.repositories = List.copyOf(repositories);
        this.trigger = trigger;
        this.maxPayloadBytes = maxPayloadBytes;
        this.deliveries = deliveries;
    }

    /**
     * @param provider the endpoint the request came to
     * @param headers  looks a request header up by name (case-insensitively); null when absent. A
     *                 {@code Content-Type} of {@code application/x-www-form-urlencoded} means the JSON is in
     *                 the {@code payload} field (GitHub's and Gitea's form option)
     * @param body     the raw body as received (JSON, or the form-encoded bytes), possibly empty
     */
    public WebhookOutcome handle(WebhookProvider provider, UnaryOperator<String> headers, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        String deliveryId = headers.apply(provider.deliveryHeader());
        String delivery = deliveryId == null ? "(no delivery id)" : deliveryId;
        if (raw.length > maxPayloadBytes) {
            LOG.warn("{} webhook {} refused: {} bytes is over the limit of {}", provider, delivery, raw.length, maxPayloadBytes);
            return WebhookOutcome.of(WebhookOutcome.Result.TOO_LARGE, "payload larger than " + maxPayloadBytes + " bytes");
        }
        String signature = headers.apply(provider.signatureHeader());
        List<WatchedRepository> signedFor = new ArrayList<>();
        for (WatchedRepository repository : repositories) {
            // Every secret is tried (no early exit), so timing does not tell which repository matched.
            if (WebhookSignatureVerifier.verify(provider, repository.webhookSecret(), signature, raw)) {
                signedFor.add(repository);
            }
        }
        if (signedFor.isEmpty()) {
            // Never log the header's value: for GitLab it is (a guess at) the secret itself.
            LOG.warn("{} webhook {} refused: {} is {}", provider, delivery, provider.signatureHeader(),
                    signature == null ? "missing" : "not valid for any watched repository");
            return WebhookOutcome.of(WebhookOutcome.Result.UNAUTHORIZED, "invalid or missing signature");
        }
        PushEvent push;
        try {
            // Only now, with the signature checked over the bytes as sent, is a form-encoded body decoded.
            byte[] json = FormEncodedPayload.isFormEncoded(headers.apply("Content-Type"))
                    ? FormEncodedPayload.extract(raw) : raw;
            push = parser.parse(json);
        } catch (MalformedPayloadException e) {
            LOG.warn("{} webhook {} refused: {}", provider, delivery, e.getMessage());
            return WebhookOutcome.of(WebhookOutcome.Result.MALFORMED, e.getMessage());
        }
        // Remembered only once it was understood: a delivery refused as malformed and redelivered after a fix
        // on the sender's side must be processed, not answered "duplicate".
        if (deliveryId != null && !deliveryId.isBlank() && !deliveries.firstDelivery(provider, deliveryId)) {
            LOG.info("{} webhook {} ignored: already received", provider, delivery);
            return WebhookOutcome.of(WebhookOutcome.Result.DUPLICATE, "delivery already received");
        }
        String branch = push.branch();
        if (branch == null) {
            LOG.info("{} webhook {} ignored: {} is not a branch", provider, delivery, push.ref());
            return WebhookOutcome.of(WebhookOutcome.Result.IGNORED, push.ref() + " is not a branch");
        }
        List<String> triggered = new ArrayList<>();
        for (WatchedRepository repository : signedFor) {
            if (repository.key().branch().equals(branch) && !Collections.disjoint(repository.matchKeys(), push.repository())) {
                WatchKey key = repository.key();
                if (trigger.trigger(key)) {
                    triggered.add(key.toString());
                }
            }
        }
        if (triggered.isEmpty()) {
            LOG.info("{} webhook {} ignored: branch {} of {} is not watched", provider, delivery, branch, push.repository());
            return WebhookOutcome.of(WebhookOutcome.Result.IGNORED, "repository or branch not watched");
        }
        LOG.info("{} webhook {}: sync triggered for {}", provider, delivery, triggered);
        return new WebhookOutcome(WebhookOutcome.Result.TRIGGERED, "sync triggered", triggered);
    }
}
