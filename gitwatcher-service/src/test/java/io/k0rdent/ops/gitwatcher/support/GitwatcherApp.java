package io.k0rdent.ops.gitwatcher.support;

import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.gitwatcher.sync.RepositoryStatus;
import io.k0rdent.ops.gitwatcher.sync.SyncScheduler;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.k0rdent.ops.sandbox.kafka.junit.TopicSpec;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gitwatcher running for real against the shared broker: its own topics, transactional id and
 * mirror directory, so tests never see each other's records. {@link #restart()} starts a new
 * process-like context with the same identity, as after a crash.
 */
public final class GitwatcherApp implements AutoCloseable {

    private final KafkaTestContext kafka;
    private final Map<String, Object> properties;
    private final String definitions;
    private final String rejections;
    private final String state;
    private EmbeddedServer server;

    private GitwatcherApp(KafkaTestContext kafka, Map<String, Object> properties, String definitions,
                          String rejections, String state) {
        this.kafka = kafka;
        this.properties = properties;
        this.definitions = definitions;
        this.rejections = rejections;
        this.state = state;
    }

    /**
     * @param repositories the {@code k0rdent.gitwatcher.repositories} list
     * @param extra        further properties, may override the defaults here
     * @param environments Micronaut environments, e.g. to activate a test-only bean
     */
    public static GitwatcherApp start(KafkaTestContext kafka, Path mirrorDir, List<Map<String, Object>> repositories,
                                      Map<String, Object> extra, String... environments) {
        List<String> topics = kafka.createTopics(
                TopicSpec.of("definitions", 3),
                TopicSpec.of("rejections", 3),
                new TopicSpec("gitwatcher-state", 1, Topics.GITWATCHER_STATE.configs()));
        Map<String, Object> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("micronaut.server.port", -1);
        props.put("k0rdent.gitwatcher.definitions-topic", topics.get(0));
        props.put("k0rdent.gitwatcher.rejections-topic", topics.get(1));
        props.put("k0rdent.gitwatcher.state-topic", topics.get(2));
        props.put("k0rdent.gitwatcher.transactional-id", kafka.uniqueName("gitwatcher"));
        props.put("k0rdent.gitwatcher.mirror-dir", mirrorDir.toString());
        props.put("k0rdent.gitwatcher.retry-initial-backoff", "100ms");
        props.put("k0rdent.gitwatcher.retry-max-backoff", "1s");
        props.put("k0rdent.gitwatcher.repositories", repositories);
        props.putAll(extra);
        GitwatcherApp app = new GitwatcherApp(kafka, props, topics.get(0), topics.get(1), topics.get(2));
        app.server = ApplicationContext.run(EmbeddedServer.class, props, environments);
        return app;
    }

    /** A repository entry with a short poll interval and the test webhook secret. */
    public static Map<String, Object> repository(String url, String branch, Duration pollInterval, String... webhookNames) {
        Map<String, Object> r = new HashMap<>();
        r.put("url", url);
        r.put("branch", branch);
        r.put("poll-interval", pollInterval.toMillis() + "ms");
        r.put("webhook-secret", Fixtures.SECRET);
        r.put("webhook-names", List.of(webhookNames));
        return r;
    }

    /** Stops this instance and starts a new one with the same configuration, topics and transactional id. */
    public void restart(String... environments) {
        server.getApplicationContext().close();
        server = ApplicationContext.run(EmbeddedServer.class, properties, environments);
    }

    public EmbeddedServer server() {
        return server;
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    public RepositoryStatus status() {
        return bean(SyncScheduler.class).statuses().get(0);
    }

    /**
     * Waits until the (first) watched branch has processed {@code commit} and its transaction's markers are
     * written, so that a {@code read_committed} reader sees all of its events.
     */
    public void awaitProcessed(String commit) {
        await().atMost(Duration.ofSeconds(30)).until(() -> commit.equals(status().lastProcessedCommit()));
        awaitStable();
    }

    /** Waits until no transaction is open on this instance's topics. */
    public void awaitStable() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> CommittedRecords.stable(kafka.bootstrapServers(), definitions, rejections, state));
    }

    /** Every committed event on the definitions and rejections topics. */
    public List<ClusterEvent> events() {
        return CommittedRecords.events(kafka.bootstrapServers(), definitions, rejections);
    }

    public String definitionsTopic() {
        return definitions;
    }

    public String stateTopic() {
        return state;
    }

    @Override
    public void close() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }
}
