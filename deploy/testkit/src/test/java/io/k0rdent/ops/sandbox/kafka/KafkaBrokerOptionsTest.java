package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsToAnAutomaticallyChosenThrowawayBroker() {
        KafkaBrokerOptions options = KafkaBrokerOptions.defaults(dir);

        assertThat(options.strategy()).isEqualTo(Strategy.AUTO);
        assertThat(options.ephemeralData()).isTrue();
        assertThat(options.effectiveDataDir()).isEqualTo(dir.resolve("data"));
        assertThat(options.port()).isZero();
        assertThat(options.controllerPort()).isZero();
        assertThat(options.maxHeap()).isEqualTo("384m");
        assertThat(options.testcontainersImage()).isEqualTo("apache/kafka:3.9.1");
    }

    @Test
    void persistentOptionsKeepTheirDataForTheNextStart() {
        KafkaBrokerOptions options = KafkaBrokerOptions.persistent(dir.resolve(".k0ops/kafka")).withPort(9092);

        assertThat(options.strategy()).isEqualTo(Strategy.EMBEDDED);
        assertThat(options.ephemeralData()).isFalse();
        assertThat(options.effectiveDataDir()).isEqualTo(dir.resolve(".k0ops/kafka/data"));
        assertThat(options.port()).isEqualTo(9092);
    }

    @Test
    void testBrokersGetAFreshWorkDirUnderTarget() throws IOException {
        Files.createDirectory(dir.resolve("target"));

        KafkaBrokerOptions first = KafkaBrokerOptions.forTests(Map.of(), new Properties(), dir);
        KafkaBrokerOptions second = KafkaBrokerOptions.forTests(Map.of(), new Properties(), dir);

        assertThat(first.workDir().getParent()).isEqualTo(dir.resolve("target/kafka-broker"));
        assertThat(first.workDir().getFileName().toString()).contains("-pid" + ProcessHandle.current().pid() + "-");
        assertThat(first.workDir()).isNotEqualTo(second.workDir());
        assertThat(first.strategy()).isEqualTo(Strategy.AUTO);
    }

    @Test
    void testWorkDirAndStrategyCanBeConfigured() {
        Properties systemProperties = new Properties();
        systemProperties.setProperty(KafkaBrokerOptions.WORK_DIR_PROPERTY, dir.resolve("brokers").toString());
        systemProperties.setProperty(KafkaBrokerOptions.STRATEGY_PROPERTY, "embedded");

        KafkaBrokerOptions options = KafkaBrokerOptions.forTests(
                Map.of(KafkaBrokerOptions.STRATEGY_ENV, "testcontainers"), systemProperties, dir);

        assertThat(options.workDir().getParent()).isEqualTo(dir.resolve("brokers"));
        assertThat(options.strategy()).as("system property wins over environment").isEqualTo(Strategy.EMBEDDED);
        assertThat(KafkaBrokerOptions.forTests(Map.of(KafkaBrokerOptions.STRATEGY_ENV, "Testcontainers"),
                new Properties(), dir).strategy()).isEqualTo(Strategy.TESTCONTAINERS);
    }

    @Test
    void rejectsNonsense() {
        KafkaBrokerOptions options = KafkaBrokerOptions.defaults(dir);

        assertThatThrownBy(() -> options.withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.withPort(9092).withControllerPort(9092))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.withDefaultPartitions(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.withStartupTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.withMaxHeap("-Xmx1g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaBrokerOptions.parseStrategy("docker"))
                .hasMessageContaining("docker").hasMessageContaining("EMBEDDED");
    }
}
