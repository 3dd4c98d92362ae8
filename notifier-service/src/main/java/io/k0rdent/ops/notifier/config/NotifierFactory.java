package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.support.SecretSource;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.notifier.delivery.Settlement;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.DigestWindow;
import io.k0rdent.ops.notifier.email.SmtpSettings;
import io.k0rdent.ops.notifier.kafka.KafkaDeliveryRecorder;
import io.k0rdent.ops.notifier.kafka.LedgerLoader;
import io.k0rdent.ops.notifier.kafka.NotificationConsumer;
import io.k0rdent.ops.notifier.kafka.NotificationListener;
import io.k0rdent.ops.notifier.kafka.NotifierTopics;
import io.k0rdent.ops.notifier.kafka.OffsetTracker;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.routing.AuthorPolicy;
import io.k0rdent.ops.notifier.routing.NotificationRouter;
import io.k0rdent.ops.notifier.routing.RouteRule;
import io.k0rdent.ops.notifier.routing.RoutingPolicy;
import io.k0rdent.ops.notifier.routing.Severity;
import io.k0rdent.ops.notifier.telemetry.InFlightClusters;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.KafkaClientBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds the plain domain classes from the typed configuration; they know nothing of Micronaut. */
@Factory
public class NotifierFactory {

    /** The CloudEvents source of the events the notifier writes. */
    public static final URI SOURCE = URI.create("/k0rdent-ops/notifier");

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    ClusterEventCodec codec() {
        return new ClusterEventCodec(SOURCE);
    }

    @Singleton
    SecretSource secretResolver() {
        return new SecretSource(System::getenv);
    }

    @Singleton
    NotifierTopics topics(NotifierProperties.TopicProperties props) {
        return new NotifierTopics(props.getConsumed(), props.getNotifications(), props.getDeliveries(),
                props.getDeadLetters());
    }

    @Singleton
    RoutingPolicy routingPolicy(NotifierProperties props, NotifierProperties.AuthorProperties author,
                                List<RouteProperties> routes) {
        List<RouteRule> rules = routes.stream().map(NotifierFactory::rule).toList();
        return new RoutingPolicy(rules, props.getDefaultDestinations(),
                new AuthorPolicy(author.isEnabled(), author.getDestination(), new HashSet<>(author.getAllowedDomains())));
    }

    static RouteRule rule(RouteProperties route) {
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        route.getLabels().forEach((key, values) -> labels.put(key,
                Arrays.stream(values.split(",")).map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toSet())));
        Set<Severity> severities = route.getSeverities().stream().map(Severity::parse).collect(Collectors.toSet());
        return new RouteRule(route.getName(), new HashSet<>(route.getTypes()), severities, labels,
                route.getDestinations(), route.isKeepDefault());
    }

    @Singleton
    NotificationRouter router(RoutingPolicy policy, Destinations destinations) {
        return new NotificationRouter(policy, destinations.names());
    }

    @Singleton
    DeliveryLedger ledger() {
        return new DeliveryLedger();
    }

    @Singleton
    ClusterHealth clusterHealth(NotifierProperties props) {
        return new ClusterHealth(props.getCooldown());
    }

    @Singleton
    DigestWindow digestWindow(NotifierProperties props) {
        return new DigestWindow(props.getDigestWindow(), props.getDigestMaxEvents());
    }

    @Singleton
    MessageRenderer renderer(NotifierProperties props) {
        return new MessageRenderer(props.getCommitUrlTemplate(), props.getRepository());
    }

    @Singleton
    OffsetTracker offsetTracker() {
        return new OffsetTracker();
    }

    @Singleton
    KafkaClientConfigs kafkaClientConfigs(KafkaDefaultConfiguration kafkaSettings,
                                          NotifierProperties.KafkaProperties kafka) {
        return new KafkaClientConfigs(kafkaSettings.getConfig(), kafka);
    }

    @Singleton
    @Bean(preDestroy = "close")
    KafkaDeliveryRecorder recorder(NotifierProperties.KafkaProperties kafka, KafkaClientConfigs clients,
                                   NotifierTopics topics, ClusterEventCodec codec, Clock clock) {
        // A fresh id per process: transactions here are for atomicity, not zombie fencing (a duplicate
        // instance is harmless because the ledger deduplicates).
        String transactionalId = kafka.getTransactionalIdPrefix() + "-" + UUID.randomUUID();
        return new KafkaDeliveryRecorder(clients.deliveryRecorder(), transactionalId, topics, codec, kafka.getGroupId(),
                clock);
    }

    @Singleton
    Settlement settlement(KafkaDeliveryRecorder recorder, DeliveryLedger ledger, DeliveryHooks hooks, Clock clock) {
        return new Settlement(recorder, ledger, hooks, clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Slack slack(NotifierProperties.RetryProperties retry) {
        SlackConfig config = new SlackConfig();
        int millis = (int) retry.getHttpTimeout().toMillis();
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientWriteTimeoutMillis(millis);
        config.setHttpClientCallTimeoutMillis(millis);
        // The SDK's default response listeners log each request at debug level, including its URL, which for an
        // incoming webhook is the credential. The notifier classifies and logs responses itself.
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setPrettyResponseLoggingEnabled(false);
        return Slack.getInstance(config);
    }

    @Singleton
    HttpClient httpClient(NotifierProperties.RetryProperties retry) {
        return HttpClient.newBuilder().connectTimeout(retry.getHttpTimeout()).build();
    }

    @Singleton
    SmtpSettings smtpSettings(NotifierProperties.SmtpProperties smtp, SecretSource secrets) {
        return new SmtpSettings(smtp.getHost(), smtp.getPort(), smtp.isStartTls(), smtp.isAuth(), smtp.getUsername(),
                secrets.resolve("smtp password", smtp.getPasswordEnv(), smtp.getPasswordFile()).orElse(null),
                smtp.getFrom(), smtp.getTimeout(), smtp.getMessageIdDomain());
    }

    @Singleton
    RetryPolicy retryPolicy(NotifierProperties.RetryProperties retry) {
        return new RetryPolicy(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
                retry.getMaxRetryAfter());
    }

    @Singleton
    @Bean(preDestroy = "close")
    Destinations destinations(List<DestinationProperties> configured, NotifierProperties.AuthorProperties author,
                              Slack slack, HttpClient http, SmtpSettings smtp, SecretSource secrets, Clock clock,
                              NotifierProperties.RetryProperties retryProps, RetryPolicy retry, Settlement settlement,
                              MeterRegistry meters, EventTelemetry telemetry, NotifierProperties props) {
        return new Destinations(configured, author.isEnabled() ? author.getDestination() : null,
                new Destinations.Clients(slack, http, smtp, secrets, clock, retryProps.getHttpTimeout(),
                        props.getRepository()), retry,
                new MeteredDeliveryListener(settlement, meters, telemetry, clock), telemetry.tracer());
    }

    @Singleton
    NotificationService notificationService(NotificationRouter router, DeliveryLedger ledger, ClusterHealth health,
                                            DigestWindow digest, MessageRenderer renderer, Destinations destinations,
                                            Settlement settlement, Clock clock, NotifierProperties props,
                                            MeterRegistry meters) {
        return new NotificationService(router, ledger, health, digest, renderer, destinations.byName(), settlement,
                clock, props.getMaxEventAge(), meters);
    }

    @Singleton
    NotificationListener listener(ClusterEventCodec codec, NotificationService service, KafkaDeliveryRecorder recorder,
                                  OffsetTracker offsets, EventTelemetry telemetry, InFlightClusters inFlight) {
        return new NotificationListener(codec, service, recorder, offsets, telemetry, inFlight);
    }

    @Singleton
    InFlightClusters inFlightClusters(Clock clock, MeterRegistry meters) {
        return new InFlightClusters(clock, meters);
    }

    @Singleton
    @Bean(preDestroy = "close")
    LedgerLoader ledgerLoader(NotifierProperties.KafkaProperties kafka, KafkaClientConfigs clients,
                              NotifierTopics topics) {
        return new LedgerLoader(clients.ledgerLoader(), topics.deliveries(), kafka.getLoadTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    NotificationConsumer consumer(NotifierProperties.KafkaProperties kafka, KafkaClientConfigs clients,
                                  NotifierTopics topics, NotificationListener listener, OffsetTracker offsets,
                                  DeliveryHooks hooks, LedgerLoader loader, DeliveryLedger ledger,
                                  KafkaClientBinder clientMetrics) {
        // Before records of newly assigned partitions are polled, learn what other instances delivered meanwhile.
        Runnable catchUp = () -> loader.load(ledger::remember);
        return new NotificationConsumer(clients.consumer(), topics.consumed(), listener, offsets, hooks,
                kafka.getPollTimeout(), kafka.getMaxUnsettled(), catchUp, clientMetrics);
    }
}
