package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerCommandTest {

    @Test
    void runsOurMainOnKafkasClasspathInASmallJvm() {
        BrokerClasspath classpath = new BrokerClasspath(List.of(Path.of("/m2/kafka.jar"), Path.of("/sandbox/classes")));
        BrokerCommand command = new BrokerCommand(Path.of("/jdk/bin/java"), "384m", Path.of("/work/log4j.properties"),
                classpath, Path.of("/work/server.properties"), "cluster-1");

        List<String> args = command.toList();

        assertThat(args.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(args).contains("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Dlog4j.configuration=" + Path.of("/work/log4j.properties").toUri());
        assertThat(args).containsSubsequence("-cp", classpath.asArgument());
        assertThat(args.subList(args.size() - 3, args.size()))
                .containsExactly(KafkaBrokerMain.class.getName(), "/work/server.properties", "cluster-1");
    }

    @Test
    void usesTheJavaOfThisJvm() {
        Path java = BrokerCommand.currentJava();

        assertThat(Files.isExecutable(java)).isTrue();
        assertThat(java.startsWith(Path.of(System.getProperty("java.home")))).isTrue();
    }
}
