package io.k0rdent.ops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClasspathTest {

    @TempDir
    Path dir;

    @Test
    void theRecordedClasspathHoldsKafkasServerOfOurVersionAndExistsOnThisMachine() {
        BrokerClasspath classpath = BrokerClasspath.load();

        assertThat(classpath.entries()).allMatch(Files::exists);
        assertThat(classpath.entries()).anyMatch(path -> path.getFileName().toString().startsWith("kafka_2.13-" + KafkaBrokerOptions.KAFKA_VERSION + ".jar"));
        assertThat(classpath.entries()).anyMatch(path -> path.getFileName().toString().startsWith("reload4j"));
    }

    @Test
    void appendsOurOwnClassesLast() throws IOException {
        Path kafka = Files.createFile(dir.resolve("kafka.jar"));
        Path scala = Files.createFile(dir.resolve("scala.jar"));
        Path own = dir.resolve("classes");

        BrokerClasspath classpath = BrokerClasspath.parse(kafka + File.pathSeparator + scala + "\n", "test", own);

        assertThat(classpath.entries()).containsExactly(kafka, scala, own);
        assertThat(classpath.asArgument()).isEqualTo(kafka + File.pathSeparator + scala + File.pathSeparator + own);
    }

    @Test
    void aMissingJarIsNamedWithTheCommandThatFixesIt() throws IOException {
        Path present = Files.createFile(dir.resolve("present.jar"));
        Path missing = dir.resolve("elsewhere/kafka_2.13-3.9.1.jar");

        assertThatThrownBy(() -> BrokerClasspath.parse(present + File.pathSeparator + missing, "test", dir))
                .isInstanceOf(KafkaBrokerException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("mvn -pl deploy/kafka-runtime install");
    }

    @Test
    void anEmptyClasspathIsAnError() {
        assertThatThrownBy(() -> BrokerClasspath.parse("\n", "test", dir))
                .isInstanceOf(KafkaBrokerException.class)
                .hasMessageContaining("empty");
    }
}
