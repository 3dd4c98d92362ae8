package io.k0rdent.ops.notifier.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Settings of the Kafka clients the notifier builds itself: its consumer, the ledger loader and the delivery
 * recorder. micronaut-kafka does not create them, so it does not give them the {@code kafka.*} settings either
 * (security protocol, SASL, TLS, DNS lookup, ...); each starts from all of those here, and the client's own
 * settings go on top.
 */
public final class KafkaClientConfigs {

    private final Map<String, Object> shared;
    private final NotifierProperties.Kafka kafka;

    /**
     * @param kafkaSettings every {@code kafka.*} setting, as micronaut-kafka's
     *                      {@code KafkaDefaultConfiguration#getConfig()} collects them
     * @param kafka         the notifier's own settings; its bootstrap servers win over {@code kafka.bootstrap.servers}
     */
    public KafkaClientConfigs(Properties kafkaSettings, NotifierProperties.Kafka kafka) {
        Map<String, Object> settings = new HashMap<>();
        kafkaSettings.forEach((key, value) -> settings.put(key.toString(), value));
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        this.shared = Map.copyOf(settings);
        this.kafka = kafka;
    }

    /**
     * The notification consumer: committed transactions only, offsets committed by the poll loop itself, never
     * automatically.
     */
    public Map<String, Object> consumer() {
        Map<String, Object> props = new HashMap<>(shared);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, kafka.autoOffsetReset());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /** Connection and security settings of the ledger loader; {@code LedgerLoader} adds what reading needs. */
    public Map<String, Object> ledgerLoader() {
        return shared;
    }

    /** Connection and security settings of the delivery recorder; {@code KafkaDeliveryRecorder} adds the rest. */
    public Map<String, Object> deliveryRecorder() {
        return shared;
    }
}
