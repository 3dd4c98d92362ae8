package io.k0rdent.ops.notifier.commitstatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.Notifier;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import io.k0rdent.ops.support.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a per-cluster status ({@code k0rdent/<cluster>}) on the pushed commit through one forge's commit status
 * API. Each delivery carries one event (the service splits digests for this channel), so a retry never writes
 * another cluster's status twice.
 *
 * <p>The repository is the destination's own if it names one; else the event's Git source; infrastructure and
 * bootstrap events carry only the commit, so then the repository last seen for the cluster, else the default.
 */
public final class CommitStatusNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(CommitStatusNotifier.class);

    private final HttpClient http;
    private final CommitStatusSettings settings;
    private final ForgeDialect dialect;
    private final Secret token;
    private final Duration timeout;
    private final Clock clock;
    private final CommitStatusPlanner planner = new CommitStatusPlanner();
    private final StatusOrdering ordering = new StatusOrdering();
    private final Map<String, String> repositoryByCluster = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    public CommitStatusNotifier(HttpClient http, CommitStatusSettings settings, Secret token, Duration timeout,
                                Clock clock) {
        this.http = http;
        this.settings = settings;
        this.dialect = ForgeDialect.of(settings.forge());
        this.token = token;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Channel channel() {
        return Channel.COMMIT_STATUS;
    }

    /** A rendered message has lost the event's commit and cluster; commit statuses are sent per event. */
    @Override
    public SendOutcome send(OutgoingMessage message) {
        return new SendOutcome.PermanentFailure("a commit status is written from its event, not from a message");
    }

    @Override
    public SendOutcome send(Delivery delivery) {
        for (PendingNotification item : delivery.items()) {
            SendOutcome outcome = send(item);
            if (!(outcome instanceof SendOutcome.Delivered)) {
                return outcome;
            }
        }
        return new SendOutcome.Delivered();
    }

    private SendOutcome send(PendingNotification item) {
        Optional<PlannedStatus> planned = planner.plan(item.notice().event());
        if (planned.isEmpty()) {
            return new SendOutcome.Delivered();
        }
        PlannedStatus status = planned.get();
        if (status.repository() != null) {
            repositoryByCluster.put(status.cluster(), status.repository());
        }
        String repositoryUrl = settings.repository() != null ? settings.repository()
                : status.repository() != null ? status.repository()
                : repositoryByCluster.getOrDefault(status.cluster(), settings.defaultRepository());
        if (repositoryUrl == null) {
            return new SendOutcome.PermanentFailure(settings.forge().displayName() + ": no repository known for "
                    + status.cluster() + " (configure the destination's repository)");
        }
        RepositoryCoordinates repository;
        try {
            repository = RepositoryCoordinates.parse(repositoryUrl);
        } catch (IllegalArgumentException e) {
            return new SendOutcome.PermanentFailure(settings.forge().displayName() + ": " + e.getMessage());
        }
        String where = settings.forge().displayName() + " repository " + repository.fullPath();
        String context = settings.context(status.cluster());
        if (ordering.isStale(repository.fullPath(), status.commit(), context, status.generation(), status.rank())) {
            LOG.info("Not setting {} on {}@{}: a later status of the same context is already set", status.state(),
                    repository.fullPath(), status.commit());
            return new SendOutcome.Delivered();
        }
        StatusRequest request = new StatusRequest(status.commit(), status.state(), context,
                StatusText.truncate(status.description(), CommitStatusSettings.MAX_DESCRIPTION),
                settings.targetUrl(status));
        SendOutcome outcome = post(repository, request, where);
        if (outcome instanceof SendOutcome.Delivered) {
            ordering.written(repository.fullPath(), status.commit(), context, status.generation(), status.rank());
        }
        return outcome;
    }

    private SendOutcome post(RepositoryCoordinates repository, StatusRequest status, String where) {
        String apiUrl = settings.apiUrl() != null ? settings.apiUrl() : dialect.defaultApiUrl(repository);
        byte[] body;
        try {
            body = json.writeValueAsBytes(dialect.body(status));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a commit status", e);
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(apiUrl + dialect.path(repository, status.sha())));
        } catch (IllegalArgumentException e) {
            return new SendOutcome.PermanentFailure(where + ": invalid API URL");
        }
        request.timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "k0rdent-ops-notifier")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        dialect.headers(token.reveal()).forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return ForgeAnswers.classify(where, response.statusCode(), response.body(),
                    name -> response.headers().firstValue(name).orElse(null), clock);
        } catch (IOException e) {
            // The exception text may name the host; only its type is kept.
            return new SendOutcome.RetryLater(null, where + ": I/O error: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.RetryLater(null, "interrupted");
        }
    }
}
