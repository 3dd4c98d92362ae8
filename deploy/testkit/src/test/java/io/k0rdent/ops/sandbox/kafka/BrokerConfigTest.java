package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private final BrokerConfig config = new BrokerConfig(19092, 19093, Path.of("/var/tmp/kafka-data"), 2);

    @Test
    void configuresASingleNodeKraftBrokerAndController() {
        assertThat(config.properties())
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("log.dirs", Path.of("/var/tmp/kafka-data").toAbsolutePath().toString());
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(config.properties())
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092");
        assertThat(config.render()).doesNotContain("0.0.0.0").doesNotContain("://:");
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:19092");
    }

    @Test
    void suitsASingleBrokerAndExplicitTopics() {
        assertThat(config.properties())
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("num.partitions", "2")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void rendersAFileThatReadsBackToTheSameProperties() throws IOException {
        BrokerConfig windowsLike = new BrokerConfig(1, 2, Path.of("C:\\kafka\\data"), 1);
        Properties read = new Properties();
        read.load(new StringReader(windowsLike.render()));

        assertThat(read).containsAllEntriesOf(windowsLike.properties()).hasSameSizeAs(windowsLike.properties());
    }

    @Test
    void needsTwoDistinctPorts() {
        assertThatThrownBy(() -> new BrokerConfig(9092, 9092, Path.of("data"), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BrokerConfig(0, 9093, Path.of("data"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
