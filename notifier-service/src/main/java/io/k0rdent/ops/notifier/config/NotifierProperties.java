package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * {@code k0rdent.notifier.*} (until the next release also {@code notifier.*}, see {@link LegacyNotifierKeys}):
 * everything but the destinations and routes, which are {@link DestinationProperties} and {@link RouteProperties}.
 * Domain classes receive plain values from {@link NotifierFactory}, so unit tests build them without Micronaut.
 *
 * @param defaultDestinations where events no route matches go
 * @param digestWindow        how long a digest group collects events of one commit, type and destination
 * @param cooldown            a repeated failure of one cluster is not told again within this time
 * @param tick                how often due digest groups are sent
 * @param commitUrlTemplate   e.g. {@code {repository}/commit/{commit}} (GitHub, Gitea) or
 *                            {@code {repository}/-/commit/{commit}} (GitLab)
 * @param repository          the repository URL for commit links of events that do not carry it (all but the
 *                            gitwatcher's)
 * @param maxEventAge         events older than this (by {@code occurredAt}) are not told, e.g. {@code 24h};
 *                            {@code 0} tells all. Protects people from a flood of stale news when a new consumer
 *                            group starts at the beginning of the topics
 * @param ledgerRetention     how long a delivered pair is remembered; then it is tombstoned. Must exceed the
 *                            lifecycle topics' retention (30 days), so a record can never be redelivered after its
 *                            pair was forgotten
 */
@ConfigurationProperties(NotifierProperties.PREFIX)
public record NotifierProperties(
        @Nullable List<String> defaultDestinations,
        @Bindable(defaultValue = "10s") Duration digestWindow,
        @Bindable(defaultValue = "500") int digestMaxEvents,
        @Bindable(defaultValue = "15m") Duration cooldown,
        @Bindable(defaultValue = "100ms") Duration tick,
        @Bindable(defaultValue = "{repository}/commit/{commit}") String commitUrlTemplate,
        @Nullable String repository,
        @Bindable(defaultValue = "0s") Duration maxEventAge,
        @Bindable(defaultValue = "35d") Duration ledgerRetention,
        Kafka kafka,
        TopicNames topics,
        Author author,
        Retry retry,
        Smtp smtp) {

    public static final String PREFIX = "k0rdent.notifier";

    public NotifierProperties {
        defaultDestinations = defaultDestinations == null ? List.of() : List.copyOf(defaultDestinations);
    }

    /**
     * {@code k0rdent.notifier.kafka.*}.
     *
     * @param bootstrapServers wins over {@code kafka.bootstrap.servers}
     * @param autoOffsetReset  where a consumer group without committed offsets starts: {@code earliest} (nothing is
     *                         missed) or {@code latest} (a first deployment does not tell the topics' history)
     * @param maxUnsettled     records waiting for delivery at which consumption pauses (resumes at half)
     * @param loadTimeout      how long reading the delivery ledger at start may take
     * @param handOverTimeout  how long a replica losing partitions waits for their notifications already being sent;
     *                         bounded by the consumer's {@code max.poll.interval.ms} (5 min by default), since the
     *                         wait runs inside a rebalance
     */
    @ConfigurationProperties("kafka")
    public record Kafka(
            @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
            @Bindable(defaultValue = "k0rdent-notifier") String groupId,
            @Bindable(defaultValue = "k0rdent-notifier") String transactionalIdPrefix,
            @Bindable(defaultValue = "200ms") Duration pollTimeout,
            @Bindable(defaultValue = "2m") Duration loadTimeout,
            @Bindable(defaultValue = "20000") int maxUnsettled,
            @Bindable(defaultValue = "earliest") String autoOffsetReset,
            @Bindable(defaultValue = "30s") Duration handOverTimeout) {
    }

    /** {@code k0rdent.notifier.topics.*}: the defaults are the contract's ({@link Topics}). */
    @ConfigurationProperties("topics")
    public record TopicNames(
            @Nullable List<String> consumed,
            @Nullable String notifications,
            @Nullable String deliveries,
            @Nullable String deadLetters) {

        public TopicNames {
            consumed = consumed != null ? List.copyOf(consumed) : Topics.lifecycle().stream()
                    .filter(t -> !t.equals(Topics.NOTIFICATIONS)).map(Topic::name).toList();
            notifications = notifications != null ? notifications : Topics.NOTIFICATIONS.name();
            deliveries = deliveries != null ? deliveries : Topics.NOTIFIER_DELIVERIES.name();
            deadLetters = deadLetters != null ? deadLetters : Topics.DLQ_NOTIFIER.name();
        }
    }

    /**
     * {@code k0rdent.notifier.author.*}: e-mail to the commit author about their own cluster.
     *
     * @param destination the name of the e-mail destination used for authors (created implicitly when not configured)
     */
    @ConfigurationProperties("author")
    public record Author(
            @Bindable(defaultValue = "false") boolean enabled,
            @Bindable(defaultValue = "commit-author") String destination,
            @Nullable List<String> allowedDomains) {

        public Author {
            allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
        }
    }

    /**
     * {@code k0rdent.notifier.retry.*}: how destinations that answer "later" are retried.
     *
     * @param httpTimeout connect/read timeout of Slack, webhook and forge requests; a timeout is retried
     */
    @ConfigurationProperties("retry")
    public record Retry(
            @Bindable(defaultValue = "6") int maxAttempts,
            @Bindable(defaultValue = "1s") Duration initialBackoff,
            @Bindable(defaultValue = "60s") Duration maxBackoff,
            @Bindable(defaultValue = "5m") Duration maxRetryAfter,
            @Bindable(defaultValue = "10s") Duration httpTimeout) {
    }

    /**
     * {@code k0rdent.notifier.smtp.*}. The password is a secret: it comes from {@code password-env} or
     * {@code password-file}, never inline.
     */
    @ConfigurationProperties("smtp")
    public record Smtp(
            @Bindable(defaultValue = "localhost") String host,
            @Bindable(defaultValue = "587") int port,
            @Bindable(defaultValue = "true") boolean startTls,
            @Bindable(defaultValue = "false") boolean auth,
            @Nullable String username,
            @Nullable String passwordEnv,
            @Nullable String passwordFile,
            @Bindable(defaultValue = "k0rdent-ops@localhost") String from,
            @Bindable(defaultValue = "10s") Duration timeout,
            @Bindable(defaultValue = "k0rdent-ops") String messageIdDomain) {
    }
}
