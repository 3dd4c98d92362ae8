package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerLogTest {

    @TempDir
    Path dir;

    @Test
    void tailShowsTheLastLines() throws IOException {
        Path log = dir.resolve("broker.log");
        Files.writeString(log, IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")));

        assertThat(BrokerLog.tail(log, 3)).isEqualTo("line 4998\nline 4999\nline 5000");
    }

    @Test
    void tailOfAMissingLogSaysSo() {
        assertThat(BrokerLog.tail(dir.resolve("nope.log"), 3)).contains("no broker log");
    }

    @Test
    void kafkaLogsAtInfoToTheConsoleWhichIsTheLogFile() throws IOException {
        Properties log4j = new Properties();
        log4j.load(new StringReader(BrokerLog.log4jProperties()));

        assertThat(log4j)
                .containsEntry("log4j.rootLogger", "INFO, stdout")
                .containsEntry("log4j.appender.stdout", "org.apache.log4j.ConsoleAppender")
                .containsEntry("log4j.logger.kafka", "INFO")
                .containsEntry("log4j.logger.kafka.server.KafkaConfig", "WARN");
    }
}
