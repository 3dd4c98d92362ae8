package io.k0rdent.ops.gitwatcher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Service-wide settings, bound from {@code k0rdent.gitwatcher}. The watched repositories are
 * {@link RepositoryProperties}.
 *
 * @param mirrorDir              where the local mirror of each repository lives; kept across restarts to avoid full
 *                               clones (default: {@code k0rdent-gitwatcher} in the JVM's temporary directory)
 * @param bootstrapServers       the brokers of the hand-built Kafka clients
 * @param transactionalId        the producer's {@code transactional.id}. It must stay the same across restarts of
 *                               one instance: that is what lets a restarted producer fence and abort the
 *                               transaction a crashed one left open
 * @param webhookMaxPayloadBytes larger webhook bodies are answered {@code 413}; GitHub caps its payloads at 25 MB
 * @param webhookDedupeCapacity  how many recent delivery ids are remembered to drop redeliveries
 * @param retryInitialBackoff    the pause after a branch's first failed sync, doubled per failure
 * @param retryMaxBackoff        the longest pause (never longer than the branch's poll interval)
 * @param kafkaTimeout           bound on every blocking Kafka call (transaction commit, state read, health check)
 * @param gitTimeout             bound on one fetch's network inactivity
 */
@ConfigurationProperties("k0rdent.gitwatcher")
public record GitwatcherProperties(
        @Nullable Path mirrorDir,
        @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
        @Bindable(defaultValue = "k0rdent-gitwatcher") String transactionalId,
        @Bindable(defaultValue = "k0rdent.cluster.definitions") String definitionsTopic,
        @Bindable(defaultValue = "k0rdent.cluster.rejections") String rejectionsTopic,
        @Bindable(defaultValue = "k0rdent.gitwatcher.state") String stateTopic,
        @Bindable(defaultValue = "1048576") int webhookMaxPayloadBytes,
        @Bindable(defaultValue = "10000") int webhookDedupeCapacity,
        @Bindable(defaultValue = "1s") Duration retryInitialBackoff,
        @Bindable(defaultValue = "5m") Duration retryMaxBackoff,
        @Bindable(defaultValue = "30s") Duration kafkaTimeout,
        @Bindable(defaultValue = "60s") Duration gitTimeout) {

    public GitwatcherProperties {
        if (mirrorDir == null) {
            // Not a @Bindable default: the temporary directory depends on the JVM.
            mirrorDir = Path.of(System.getProperty("java.io.tmpdir"), "k0rdent-gitwatcher");
        }
    }
}
