package io.k0rdent.ops.k0ops.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is: {@code --bootstrap-server}, defaulting to the sandbox's broker. */
public final class KafkaOptions {

    /** The broker {@code k0ops up} starts. */
    public static final String SANDBOX_BOOTSTRAP = "127.0.0.1:9092";

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
            defaultValue = "${env:K0OPS_BOOTSTRAP_SERVER:-" + SANDBOX_BOOTSTRAP + "}",
            description = "Kafka bootstrap servers (default: $K0OPS_BOOTSTRAP_SERVER or the sandbox, ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Properties file with client security settings (TLS/SASL), as for Kafka's own tools.")
    java.nio.file.Path commandConfig;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "How long to wait for the broker (e.g. 10s, 2m or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Duration timeout() {
        return timeout;
    }

    private Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>();
        if (commandConfig != null) {
            java.util.Properties file = new java.util.Properties();
            try (var in = java.nio.file.Files.newInputStream(commandConfig)) {
                file.load(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read --command-config " + commandConfig + ": " + e.getMessage(), e);
            }
            file.forEach((k, v) -> props.put(k.toString(), v));
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "k0ops");
        return props;
    }

    /** An admin client that fails within {@link #timeout()} when the broker is unreachable. */
    public Admin admin() {
        Map<String, Object> props = common();
        int millis = (int) timeout.toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(props);
    }

    /** A consumer without a group: k0ops only reads, it never commits offsets or joins a group. */
    public KafkaConsumer<byte[], byte[]> reader() {
        Map<String, Object> props = common();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return new KafkaConsumer<>(props);
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = common();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        return new KafkaProducer<>(props);
    }
}
