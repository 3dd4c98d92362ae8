package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.support.fault.CrashPoints;
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
import jakarta.inject.Named;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/** Builds the plain domain classes from the typed configuration; they know nothing of Micronaut. */
@Factory
public class NotifierFactory {

    /** The CloudEvents source of the events the notifier writes. */
    public static final URI SOURCE = URI.create("/k0rdent-ops/notifier");

    /** The single thread that sends due digests and expires the ledger; {@code NotifierRuntime} shuts it down. */
    public static final String DIGEST_TICKER = "notifier-digest";

    @Singleton
    @Named(DIGEST_TICKER)
    ScheduledExecutorService digestTicker() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "notifier-digest");
            thread.setDaemon(true);
            return thread;
        });
    }

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
    NotifierTopics topics(NotifierProperties properties) {
        NotifierProperties.TopicNames props = properties.topics();
        return new NotifierTopics(props.consumed(), props.notifications(), props.deliveries(),
                props.deadLetters());
    }

    @Singleton
    RoutingPolicy routingPolicy(NotifierProperties props, List<RouteProperties> routes) {
        NotifierProperties.Author author = props.author();
        List<RouteRule> rules = routes.stream().map(NotifierFactory::rule).toList();
        return new RoutingPolicy(rules, props.defaultDestinations(),
                new AuthorPolicy(author.enabled(), author.destination(), new HashSet<>(author.allowedDomains())));
    }

    static RouteRule rule(RouteProperties route) {
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        route.labels().forEach((key, values) -> labels.put(key,
                Arrays.stream(values.split(",")).map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toSet())));
        Set<Severity> severities = route.severities().stream().map(Severity::parse).collect(Collectors.toSet());
        return new RouteRule(route.name(), new HashSet<>(route.types()), severities, labels,
                route.destinations(), route.keepDefault());
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
        return new ClusterHealth(props.cooldown());
    }

    @Singleton
    DigestWindow digestWindow(NotifierProperties props) {
        return new DigestWindow(props.digestWindow(), props.digestMaxEvents());
    }

    @Singleton
    MessageRenderer renderer(NotifierProperties props) {
        return new MessageRenderer(props.commitUrlTemplate(), props.repository());
    }

    @Singleton
    OffsetTracker offsetTracker() {
        return new OffsetTracker();
    }

    @Singleton
    KafkaClientConfigs kafkaClientConfigs(KafkaDefaultConfiguration kafkaSettings, NotifierProperties props) {
        return new KafkaClientConfigs(kafkaSettings.getConfig(), props.kafka());
    }

    @Singleton
    @Bean(preDestroy = "close")
    KafkaDeliveryRecorder recorder(NotifierProperties props, KafkaClientConfigs clients, NotifierTopics topics,
                                   ClusterEventCodec codec, Clock clock) {
        NotifierProperties.Kafka kafka = props.kafka();
        // A fresh id per process: transactions here are for atomicity, not zombie fencing (a duplicate
        // instance is harmless because the ledger deduplicates).
        String transactionalId = kafka.transactionalIdPrefix() + "-" + UUID.randomUUID();
        return new KafkaDeliveryRecorder(clients.deliveryRecorder(), transactionalId, topics, codec, kafka.groupId(),
                clock);
    }

    @Singleton
    Settlement settlement(KafkaDeliveryRecorder recorder, DeliveryLedger ledger, DeliveryHooks hooks, Clock clock) {
        return new Settlement(recorder, ledger, hooks, clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Slack slack(NotifierProperties props) {
        NotifierProperties.Retry retry = props.retry();
        SlackConfig config = new SlackConfig();
        int millis = (int) retry.httpTimeout().toMillis();
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
    HttpClient httpClient(NotifierProperties props) {
        return HttpClient.newBuilder().connectTimeout(props.retry().httpTimeout()).build();
    }

    @Singleton
    SmtpSettings smtpSettings(NotifierProperties props, SecretSource secrets) {
        NotifierProperties.Smtp smtp = props.smtp();
        return new SmtpSettings(smtp.host(), smtp.port(), smtp.startTls(), smtp.auth(), smtp.username(),
                secrets.resolve("smtp password", smtp.passwordEnv(), smtp.passwordFile()).orElse(null),
                smtp.from(), smtp.timeout(), smtp.messageIdDomain());
    }

    @Singleton
    RetryPolicy retryPolicy(NotifierProperties props) {
        NotifierProperties.Retry retry = props.retry();
        return new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(),
                retry.maxRetryAfter());
    }

    @Singleton
    @Bean(preDestroy = "close")
    Destinations destinations(List<DestinationProperties> configured, Slack slack, HttpClient http, SmtpSettings smtp,
                              SecretSource secrets, Clock clock, RetryPolicy retry, Settlement settlement,
                              MeterRegistry meters, EventTelemetry telemetry, NotifierProperties props) {
        NotifierProperties.Author author = props.author();
        return new Destinations(configured, author.enabled() ? author.destination() : null,
                new Destinations.Clients(slack, http, smtp, secrets, clock, props.retry().httpTimeout(),
                        props.repository()), retry,
                new MeteredDeliveryListener(settlement, meters, telemetry, clock), telemetry.tracer());
    }

    @Singleton
    NotificationService notificationService(NotificationRouter router, DeliveryLedger ledger, ClusterHealth health,
                                            DigestWindow digest, MessageRenderer renderer, Destinations destinations,
                                            Settlement settlement, Clock clock, NotifierProperties props,
                                            MeterRegistry meters) {
        return new NotificationService(router, ledger, health, digest, renderer, destinations.byName(), settlement,
                clock, props.maxEventAge(), meters);
    }

    @Singleton
    NotificationListener listener(ClusterEventCodec codec, NotificationService service, KafkaDeliveryRecorder recorder,
                                  OffsetTracker offsets, EventTelemetry telemetry, InFlightClusters inFlight,
                                  CrashPoints crashPoints) {
        return new NotificationListener(codec, service, recorder, offsets, telemetry, inFlight, crashPoints);
    }

    @Singleton
    InFlightClusters inFlightClusters(Clock clock, MeterRegistry meters) {
        return new InFlightClusters(clock, meters);
    }

    @Singleton
    @Bean(preDestroy = "close")
    LedgerLoader ledgerLoader(NotifierProperties props, KafkaClientConfigs clients, NotifierTopics topics) {
        return new LedgerLoader(clients.ledgerLoader(), topics.deliveries(), props.kafka().loadTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    NotificationConsumer consumer(NotifierProperties props, KafkaClientConfigs clients,
                                  NotifierTopics topics, NotificationListener listener, OffsetTracker offsets,
                                  DeliveryHooks hooks, LedgerLoader loader, DeliveryLedger ledger,
                                  NotificationService service, KafkaClientBinder clientMetrics) {
        // Before records of newly assigned partitions are polled, learn what other instances delivered meanwhile.
        Runnable catchUp = () -> loader.load(ledger::remember);
        return new NotificationConsumer(clients.consumer(), topics.consumed(), listener, offsets, hooks,
                props.kafka().pollTimeout(), props.kafka().maxUnsettled(), catchUp,
                revoked -> service.handOver(revoked, props.kafka().handOverTimeout()), clientMetrics);
    }
}
