package io.k0rdent.ops.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {

    @TempDir
    Path dir;

    private final SecretSource source = new SecretSource(Map.of("HOOK_SECRET", "s3cr3t\n", "EMPTY", " ")::get);

    @Test
    void readsFromTheEnvironmentFirstThenFromAFile() throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "from-file\n");

        assertThat(source.resolve("webhook", "HOOK_SECRET", file.toString())).get()
                .extracting(Secret::reveal).isEqualTo("s3cr3t");
        assertThat(source.resolve("webhook", null, file.toString())).get()
                .extracting(Secret::reveal).isEqualTo("from-file");
        assertThat(source.resolve("webhook", " ", null)).isEmpty();
    }

    @Test
    void aConfiguredButMissingSecretFailsNamingWhereNotWhat() {
        assertThatThrownBy(() -> source.resolve("smtp password", "NOPE", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("smtp password: environment variable NOPE is not set");
        assertThatThrownBy(() -> source.resolve("smtp password", "EMPTY", null))
                .hasMessage("smtp password: environment variable EMPTY is not set");
        assertThatThrownBy(() -> source.resolve("key", null, dir.resolve("absent").toString()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("key: cannot read ");
        assertThatThrownBy(() -> source.require("slack url", null, null))
                .hasMessage("slack url: configure an environment variable or a file");
    }

    @Test
    void anEmptySecretFileIsAnError() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> source.resolve("key", null, empty.toString()))
                .hasMessage("key: file " + empty + " is empty");
    }

    @Test
    void aSecretNeverPrintsItself() {
        Secret secret = Secret.of("  hunter2\n");

        assertThat(secret.reveal()).isEqualTo("hunter2");
        assertThat(secret.bytes()).isEqualTo("hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(secret).hasToString("****");
        assertThat("value=" + secret).doesNotContain("hunter2");
        assertThat(new Holder(secret).toString()).doesNotContain("hunter2");
    }

    private record Holder(Secret secret) {
    }
}
