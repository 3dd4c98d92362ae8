package io.k0rdent.ops.k0ops.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.k0ops.K0ops;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    private static final String VALID = """
            apiVersion: k0rdent.io/v1alpha1
            kind: Cluster
            metadata:
              name: dev-01
            spec:
              region: us-east-1
              networking:
                vpcCidr: "10.0.0.0/16"
                publicIp: false
              nodes:
                controllers:
                  count: 1
                  instanceType: t3.medium
                workers:
                  count: 2
                  instanceType: t3.large
              k0s:
                version: "1.28.3+k0s.0"
              ssh:
                keyName: k0rdent
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = K0ops.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void validFilesExitZero() throws IOException {
        Files.writeString(dir.resolve("dev-01.yaml"), VALID);

        assertThat(run("validate", dir.toString())).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("1 file(s) checked, 0 problem(s)");
    }

    @Test
    void problemsArePrintedCompilerStyleAndExitOne() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, VALID.replace("count: 1", "count: 2"));

        assertThat(run("validate", file.toString())).isEqualTo(1);
        assertThat(out.toString().strip())
                .startsWith(file + ":12:14: $.spec.nodes.controllers.count: ")
                .endsWith("[controller-count]");
    }

    @Test
    void jsonOutputForTools() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, VALID.replace("10.0.0.0/16", "8.8.8.0/24"));

        assertThat(run("validate", "-o", "json", file.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("\"rule\":\"cidr-rfc1918\"", "\"path\":\"$.spec.networking.vpcCidr\"");
    }

    @Test
    void missingFileIsOneClearLine() {
        assertThat(run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("k0ops: no such file: ").doesNotContain("Exception");
    }
}
