package io.k0rdent.ops.gitwatcher.publish;

import io.k0rdent.ops.gitwatcher.GitwatcherProperties;
import io.k0rdent.ops.gitwatcher.KafkaClientSettings;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka adapter that writes a commit's events and state records atomically: one transaction of
 * a transactional {@link KafkaProducer}. Readers with {@code read_committed} see all of them or none,
 * so a crash between "events sent" and "watermark stored" can neither lose nor duplicate events.
 *
 * <p>After any failure the producer is thrown away. The next call creates a new one with the same
 * {@code transactional.id}; its {@code initTransactions()} fences the old one and aborts (or finishes)
 * whatever transaction was left open, exactly as after a real crash.
 */
@Singleton
public class TransactionalEventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalEventPublisher.class);

    private final GitwatcherProperties properties;
    private final KafkaDefaultConfiguration kafka;
    private final BeforeCommitHook hook;
    private final EventTelemetry telemetry;
    private KafkaProducer<String, byte[]> producer;

    public TransactionalEventPublisher(GitwatcherProperties properties, KafkaDefaultConfiguration kafka,
                                       BeforeCommitHook hook, EventTelemetry telemetry) {
        this.properties = properties;
        this.kafka = kafka;
        this.hook = hook;
        this.telemetry = telemetry;
    }

    /**
     * Makes sure a producer exists and has fenced any earlier incarnation. Called before the state
     * topic is read on start, so that a transaction a crash left open is resolved first.
     */
    public synchronized void init() {
        producer();
    }

    /** Sends all records in one transaction and commits it; throws if it is not known to be committed. */
    public synchronized void publish(List<ProducerRecord<String, byte[]>> records) {
        KafkaProducer<String, byte[]> p = producer();
        try {
            p.beginTransaction();
            for (ProducerRecord<String, byte[]> record : records) {
                // The sync's span becomes the parent of every consumer's span downstream.
                telemetry.inject(record.headers());
                p.send(record);
            }
            // commitTransaction flushes too; flushing here first makes "all sent" true when the hook runs.
            p.flush();
            hook.beforeCommit(properties.transactionalId(), records.size());
            p.commitTransaction();
            // Counted once committed: an aborted transaction produced nothing a reader will ever see.
            records.forEach(record -> telemetry.countProduced(record.topic(), record.headers()));
        } catch (RuntimeException | Error e) {
            discard();
            throw new PublishException("transaction of " + records.size() + " records not committed: " + e, e);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = producerConfig();
            KafkaProducer<String, byte[]> created =
                    new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(java.time.Duration.ZERO);
                throw new PublishException("cannot initialise transactions: " + e, e);
            }
            producer = created;
        }
        return producer;
    }

    /**
     * The producer's configuration: every {@code kafka.*} setting (security, SASL, TLS...), then the settings
     * the exactly-once guarantee depends on, which configuration must not be able to weaken.
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = KafkaClientSettings.base(kafka);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.kafkaTimeout().toMillis());
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        int requestTimeout = (int) Math.min(properties.kafkaTimeout().toMillis(), 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Math.max(properties.kafkaTimeout().toMillis(), requestTimeout + 1_000L));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }

    private void discard() {
        if (producer != null) {
            try {
                // No abort: if the failure was a crash stand-in, the open transaction must be resolved the
                // way a real crash's is, by the next initTransactions().
                producer.close(java.time.Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing a failed producer: {}", e.toString());
            }
            producer = null;
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(properties.kafkaTimeout());
            producer = null;
        }
    }
}
