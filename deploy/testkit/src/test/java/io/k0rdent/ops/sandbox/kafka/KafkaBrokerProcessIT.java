package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The child-JVM broker on its own: restart on the same data, clean stop, no orphan, clear failures. */
@Order(10)
class KafkaBrokerProcessIT {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcessIT.class);

    @Test
    void resumesItsDataAfterARestartAndLeavesNoProcessBehind() throws Exception {
        KafkaBrokerOptions base = KafkaBrokerOptions.forTests();
        KafkaBrokerOptions options = base.withDataDir(base.workDir().resolve("data"));
        String clusterId;
        ProcessHandle firstProcess;
        int firstPort;

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(options)) {
            clusterId = broker.clusterId();
            firstProcess = broker.processHandle();
            firstPort = port(broker.bootstrapServers());
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("resumed", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                producer.send(new ProducerRecord<>("resumed", "key", "survives a restart")).get();
            }
            report("first start (formats storage)", broker);
        }

        assertThat(firstProcess.isAlive()).isFalse();
        assertThat(portIsFree(firstPort)).isTrue();
        assertThat(options.effectiveDataDir().resolve("meta.properties")).exists();

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(options)) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(readAll(broker, "resumed")).containsExactly("survives a restart");
            report("restart (resumes storage)", broker);
        }
        assertThat(Files.readString(base.workDir().resolve("broker.log"))).contains("is already formatted; resuming it");
    }

    @Test
    void anEphemeralDataDirIsDeletedOnClose() {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(KafkaBrokerOptions.forTests());
        Path dataDir = broker.dataDir();
        assertThat(dataDir.resolve("meta.properties")).exists();

        broker.close();

        assertThat(broker.processHandle().isAlive()).isFalse();
        assertThat(dataDir).doesNotExist();
        assertThat(broker.logFile()).exists();
    }

    @Test
    void exitsByItselfWhenTheProcessThatStartedItDies() throws Exception {
        BrokerLaunch launch = BrokerLaunch.prepare(KafkaBrokerOptions.forTests());
        // A shell stands in for a test JVM that gets killed: it starts the broker the same way, then dies by SIGKILL.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\" & wait", "sh"));
        command.addAll(launch.command());
        Process parent = new ProcessBuilder(command)
                .directory(launch.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
                .start();
        Optional<ProcessHandle> broker = Optional.empty();
        try {
            BrokerReadiness.await(launch.config().bootstrapServers(), parent.onExit(), Duration.ofSeconds(60));
            broker = parent.children().findFirst();
            assertThat(broker).isPresent();

            parent.destroyForcibly();

            ProcessHandle orphan = broker.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> !orphan.isAlive());
            assertThat(Files.readString(launch.logFile())).contains("is gone; shutting down");
        } finally {
            parent.destroyForcibly();
            broker.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aBrokerThatCannotStartFailsWithItsLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            KafkaBrokerOptions options = KafkaBrokerOptions.forTests().withPort(taken.getLocalPort());

            assertThatThrownBy(() -> KafkaBrokerProcess.start(options))
                    .isInstanceOf(KafkaBrokerException.class)
                    .hasMessageContaining("exited before it was ready")
                    .hasMessageContaining("broker.log")
                    .hasMessageContaining("Address already in use");
        }
    }

    private static void report(String phase, KafkaBrokerProcess broker) throws IOException {
        Path status = Path.of("/proc", String.valueOf(broker.processHandle().pid()), "status");
        String rss = Files.exists(status)
                ? Files.readAllLines(status).stream().filter(line -> line.startsWith("VmRSS")).findFirst().orElse("?")
                : "unknown on this OS";
        LOG.info("Kafka broker {}: ready in {} ms, {}", phase, broker.startupTime().toMillis(), rss.replaceAll("\\s+", " "));
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(KafkaBroker broker, String topic) {
        List<String> values = new ArrayList<>();
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "resume-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return !values.isEmpty();
            });
        }
        return values;
    }

    private static int port(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
