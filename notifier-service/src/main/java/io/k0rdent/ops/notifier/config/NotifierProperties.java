package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code notifier.*}: everything but the destinations and routes, which are {@link DestinationProperties} and {@link RouteProperties}. */
@ConfigurationProperties("notifier")
public class NotifierProperties {

    private List<String> defaultDestinations = new ArrayList<>();
    private Duration digestWindow = Duration.ofSeconds(10);
    private int digestMaxEvents = 500;
    private Duration cooldown = Duration.ofMinutes(15);
    private Duration tick = Duration.ofMillis(100);
    private String commitUrlTemplate = "{repository}/commit/{commit}";
    private String repository;
    private Duration maxEventAge = Duration.ZERO;
    private Duration ledgerRetention = Duration.ofDays(35);

    public List<String> getDefaultDestinations() {
        return defaultDestinations;
    }

    public void setDefaultDestinations(List<String> defaultDestinations) {
        this.defaultDestinations = defaultDestinations;
    }

    /** How long a digest group collects events of one commit, type and destination. */
    public Duration getDigestWindow() {
        return digestWindow;
    }

    public void setDigestWindow(Duration digestWindow) {
        this.digestWindow = digestWindow;
    }

    public int getDigestMaxEvents() {
        return digestMaxEvents;
    }

    public void setDigestMaxEvents(int digestMaxEvents) {
        this.digestMaxEvents = digestMaxEvents;
    }

    /** A repeated failure of one cluster is not told again within this time. */
    public Duration getCooldown() {
        return cooldown;
    }

    public void setCooldown(Duration cooldown) {
        this.cooldown = cooldown;
    }

    /** How often due digest groups are sent. */
    public Duration getTick() {
        return tick;
    }

    public void setTick(Duration tick) {
        this.tick = tick;
    }

    /** E.g. {@code {repository}/commit/{commit}} (GitHub, Gitea) or {@code {repository}/-/commit/{commit}} (GitLab). */
    public String getCommitUrlTemplate() {
        return commitUrlTemplate;
    }

    public void setCommitUrlTemplate(String commitUrlTemplate) {
        this.commitUrlTemplate = commitUrlTemplate;
    }

    /** The repository URL for commit links of events that do not carry it (all but the gitwatcher's). */
    public String getRepository() {
        return repository;
    }

    public void setRepository(String repository) {
        this.repository = repository;
    }

    /**
     * Events older than this (by {@code occurredAt}) are not told, e.g. {@code 24h}; {@code 0} (default) tells all.
     * Protects people from a flood of stale news when a new consumer group starts at the beginning of the topics.
     */
    public Duration getMaxEventAge() {
        return maxEventAge;
    }

    public void setMaxEventAge(Duration maxEventAge) {
        this.maxEventAge = maxEventAge;
    }

    /**
     * How long a delivered pair is remembered; then it is tombstoned. Must exceed the lifecycle topics' retention
     * (30 days), so a record can never be redelivered after its pair was forgotten.
     */
    public Duration getLedgerRetention() {
        return ledgerRetention;
    }

    public void setLedgerRetention(Duration ledgerRetention) {
        this.ledgerRetention = ledgerRetention;
    }

    /** {@code notifier.kafka.*}. */
    @ConfigurationProperties("kafka")
    public static class KafkaProperties {
        private String bootstrapServers = "localhost:9092";
        private String groupId = "k0rdent-notifier";
        private String transactionalIdPrefix = "k0rdent-notifier";
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration loadTimeout = Duration.ofMinutes(2);
        private int maxUnsettled = 20_000;
        private String autoOffsetReset = "earliest";

        public String getBootstrapServers() {
            return bootstrapServers;
        }

        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public String getGroupId() {
            return groupId;
        }

        public void setGroupId(String groupId) {
            this.groupId = groupId;
        }

        public String getTransactionalIdPrefix() {
            return transactionalIdPrefix;
        }

        public void setTransactionalIdPrefix(String transactionalIdPrefix) {
            this.transactionalIdPrefix = transactionalIdPrefix;
        }

        public Duration getPollTimeout() {
            return pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }

        /**
         * Where a consumer group without committed offsets starts: {@code earliest} (default: nothing is missed)
         * or {@code latest} (a first deployment does not tell the topics' history).
         */
        public String getAutoOffsetReset() {
            return autoOffsetReset;
        }

        public void setAutoOffsetReset(String autoOffsetReset) {
            this.autoOffsetReset = autoOffsetReset;
        }

        /** Records waiting for delivery at which consumption pauses (resumes at half). */
        public int getMaxUnsettled() {
            return maxUnsettled;
        }

        public void setMaxUnsettled(int maxUnsettled) {
            this.maxUnsettled = maxUnsettled;
        }

        public Duration getLoadTimeout() {
            return loadTimeout;
        }

        public void setLoadTimeout(Duration loadTimeout) {
            this.loadTimeout = loadTimeout;
        }
    }

    /** {@code notifier.topics.*}: defaults are {@link Topics}. */
    @ConfigurationProperties("topics")
    public static class TopicProperties {
        private List<String> consumed = Topics.lifecycle().stream().filter(t -> !t.equals(Topics.NOTIFICATIONS))
                .map(Topic::name).toList();
        private String notifications = Topics.NOTIFICATIONS.name();
        private String deliveries = Topics.NOTIFIER_DELIVERIES.name();
        private String deadLetters = Topics.DLQ_NOTIFIER.name();

        public List<String> getConsumed() {
            return consumed;
        }

        public void setConsumed(List<String> consumed) {
            this.consumed = consumed;
        }

        public String getNotifications() {
            return notifications;
        }

        public void setNotifications(String notifications) {
            this.notifications = notifications;
        }

        public String getDeliveries() {
            return deliveries;
        }

        public void setDeliveries(String deliveries) {
            this.deliveries = deliveries;
        }

        public String getDeadLetters() {
            return deadLetters;
        }

        public void setDeadLetters(String deadLetters) {
            this.deadLetters = deadLetters;
        }
    }

    /** {@code notifier.author.*}: e-mail to the commit author about their own cluster. */
    @ConfigurationProperties("author")
    public static class AuthorProperties {
        private boolean enabled;
        private String destination = "commit-author";
        private List<String> allowedDomains = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The name of the e-mail destination used for authors (created implicitly when not configured). */
        public String getDestination() {
            return destination;
        }

        public void setDestination(String destination) {
            this.destination = destination;
        }

        public List<String> getAllowedDomains() {
            return allowedDomains;
        }

        public void setAllowedDomains(List<String> allowedDomains) {
            this.allowedDomains = allowedDomains;
        }
    }

    /** {@code notifier.retry.*}: how destinations that answer "later" are retried. */
    @ConfigurationProperties("retry")
    public static class RetryProperties {
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private Duration maxRetryAfter = Duration.ofMinutes(5);
        private Duration httpTimeout = Duration.ofSeconds(10);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }

        /** Connect/read timeout of Slack and webhook requests; a timeout is retried. */
        public Duration getHttpTimeout() {
            return httpTimeout;
        }

        public void setHttpTimeout(Duration httpTimeout) {
            this.httpTimeout = httpTimeout;
        }
    }

    /** {@code notifier.smtp.*}. The password comes from {@code password-env} or {@code password-file}. */
    @ConfigurationProperties("smtp")
    public static class SmtpProperties {
        private String host = "localhost";
        private int port = 25;
        private boolean startTls = true;
        private boolean auth;
        private String username;
        private String passwordEnv;
        private String passwordFile;
        private String from = "k0rdent-ops@localhost";
        private Duration timeout = Duration.ofSeconds(10);
        private String messageIdDomain = "k0rdent-ops";

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public boolean isStartTls() {
            return startTls;
        }

        public void setStartTls(boolean startTls) {
            this.startTls = startTls;
        }

        public boolean isAuth() {
            return auth;
        }

        public void setAuth(boolean auth) {
            this.auth = auth;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPasswordEnv() {
            return passwordEnv;
        }

        public void setPasswordEnv(String passwordEnv) {
            this.passwordEnv = passwordEnv;
        }

        public String getPasswordFile() {
            return passwordFile;
        }

        public void setPasswordFile(String passwordFile) {
            this.passwordFile = passwordFile;
        }

        public String getFrom() {
            return from;
        }

        public void setFrom(String from) {
            this.from = from;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public String getMessageIdDomain() {
            return messageIdDomain;
        }

        public void setMessageIdDomain(String messageIdDomain) {
            this.messageIdDomain = messageIdDomain;
        }
    }
}
