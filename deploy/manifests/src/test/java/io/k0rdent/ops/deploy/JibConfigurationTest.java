package io.k0rdent.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The image (root pom, jib) and the manifests agree on user, port and JVM flags. */
class JibConfigurationTest {

    @Test
    void jibRunsAsTheManifestsExpect() throws IOException {
        String pom = Files.readString(RepositoryRoot.locate().resolve("pom.xml"));
        String jib = pom.substring(pom.indexOf("<artifactId>jib-maven-plugin</artifactId>"));
        jib = jib.substring(0, jib.indexOf("</plugin>"));

        assertThat(jib).contains("<user>65532:65532</user>", "<port>8080</port>", "<format>OCI</format>",
                "<image>k0rdent-ops/${project.artifactId}</image>",
                "<jvmFlag>-XX:MaxRAMPercentage=75</jvmFlag>", "<jvmFlag>-XX:+ExitOnOutOfMemoryError</jvmFlag>");
    }
}
