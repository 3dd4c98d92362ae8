package io.k0rdent.ops.bootstrap.k0s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.sandbox.hosts.ShellWords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quoting is proven against a real POSIX shell: a quoted value comes back byte for byte and runs
 * nothing, whatever it contains.
 */
class ShellQuotingTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "plain", "1.28.3+k0s.0", "with space", "it's", "''", "'", "a'b'c", "$(touch CANARY)", "`touch CANARY`",
        "x; touch CANARY", "x && touch CANARY", "x | touch CANARY", "> CANARY", "$HOME", "${IFS}", "\\", "\"quoted\"",
        "*", "~", "#comment", "!", "-rf", "unicode ✓ ümlaut", ""
    })
    void aQuotedWordIsOneLiteralWordForARealShell(String value) throws Exception {
        String script = "printf '%s' " + ShellQuoting.quote(value);
        Process sh = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String printed = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(printed).isEqualTo(value);
        assertThat(dir.resolve("CANARY")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"it's", "$(reboot)", "a b", "x;y", "1.28.3+k0s.0", "tab\\there"})
    void theSimulatedShellSplitsQuotedWordsExactlyLikeARealOne(String value) {
        RemoteCommand command = RemoteCommand.of("k0s", "version", value).privileged(true);
        assertThat(ShellWords.parse(command.render())).containsExactly(List.of("sudo", "-n", "k0s", "version", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "nul\u0000byte", "escape\u001b[31m", "cr\r"})
    void controlCharactersAreRefused(String value) {
        assertThatThrownBy(() -> ShellQuoting.quote(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "/etc/k0s/k0s.yaml", "--token-file", "--role=worker"})
    void safeWordsStayReadable(String value) throws IOException {
        assertThat(ShellQuoting.quote(value)).isEqualTo(value);
    }
}
