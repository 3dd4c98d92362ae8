package io.k0rdent.ops.gitwatcher;

import io.k0rdent.ops.contracts.topic.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/** Service-wide settings, bound from {@code k0rdent.gitwatcher}. */
@ConfigurationProperties("k0rdent.gitwatcher")
public class GitwatcherProperties {

    private Path mirrorDir = Path.of(System.getProperty("java.io.tmpdir"), "k0rdent-gitwatcher");
    private String bootstrapServers = "localhost:9092";
    private String transactionalId = "k0rdent-gitwatcher";
    private String definitionsTopic = Topics.DEFINITIONS.name();
    private String rejectionsTopic = Topics.REJECTIONS.name();
    private String stateTopic = Topics.GITWATCHER_STATE.name();
    private int webhookMaxPayloadBytes = 1024 * 1024;
    private int webhookDedupeCapacity = 10_000;
    private Duration retryInitialBackoff = Duration.ofSeconds(1);
    private Duration retryMaxBackoff = Duration.ofMinutes(5);
    private Duration kafkaTimeout = Duration.ofSeconds(30);
    private Duration gitTimeout = Duration.ofSeconds(60);

    /** Where the local mirror of each repository lives; kept across restarts to avoid full clones. */
    public Path getMirrorDir() {
        return mirrorDir;
    }

    public void setMirrorDir(Path mirrorDir) {
        this.mirrorDir = mirrorDir;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The producer's {@code transactional.id}. It must stay the same across restarts of one instance:
     * that is what lets a restarted producer fence and abort the transaction a crashed one left open.
     */
    public String getTransactionalId() {
        return transactionalId;
    }

    public void setTransactionalId(String transactionalId) {
        this.transactionalId = transactionalId;
    }

    public String getDefinitionsTopic() {
        return definitionsTopic;
    }

    public void setDefinitionsTopic(String definitionsTopic) {
        this.definitionsTopic = definitionsTopic;
    }

    public String getRejectionsTopic() {
        return rejectionsTopic;
    }

    public void setRejectionsTopic(String rejectionsTopic) {
        this.rejectionsTopic = rejectionsTopic;
    }

    public String getStateTopic() {
        return stateTopic;
    }

    public void setStateTopic(String stateTopic) {
        this.stateTopic = stateTopic;
    }

    /** Larger webhook bodies are answered {@code 413}; GitHub caps its payloads at 25 MB. */
    public int getWebhookMaxPayloadBytes() {
        return webhookMaxPayloadBytes;
    }

    public void setWebhookMaxPayloadBytes(int webhookMaxPayloadBytes) {
        this.webhookMaxPayloadBytes = webhookMaxPayloadBytes;
    }

    /** How many recent delivery ids are remembered to drop redeliveries. */
    public int getWebhookDedupeCapacity() {
        return webhookDedupeCapacity;
    }

    public void setWebhookDedupeCapacity(int webhookDedupeCapacity) {
        this.webhookDedupeCapacity = webhookDedupeCapacity;
    }

    public Duration getRetryInitialBackoff() {
        return retryInitialBackoff;
    }

    public void setRetryInitialBackoff(Duration retryInitialBackoff) {
        this.retryInitialBackoff = retryInitialBackoff;
    }

    public Duration getRetryMaxBackoff() {
        return retryMaxBackoff;
    }

    public void setRetryMaxBackoff(Duration retryMaxBackoff) {
        this.retryMaxBackoff = retryMaxBackoff;
    }

    /** Bound on every blocking Kafka call (transaction commit, state read, health check). */
    public Duration getKafkaTimeout() {
        return kafkaTimeout;
    }

    public void setKafkaTimeout(Duration kafkaTimeout) {
        this.kafkaTimeout = kafkaTimeout;
    }

    /** Bound on one fetch's network inactivity. */
    public Duration getGitTimeout() {
        return gitTimeout;
    }

    public void setGitTimeout(Duration gitTimeout) {
        this.gitTimeout = gitTimeout;
    }
}
