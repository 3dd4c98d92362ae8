package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

    @Test
    void splitsWordsQuotesAndCommandChains() {
        assertThat(ShellWords.parse("sudo -n k0s install worker --token-file '/etc/k0s/join token' && sudo -n k0s start"))
                .containsExactly(
                        List.of("sudo", "-n", "k0s", "install", "worker", "--token-file", "/etc/k0s/join token"),
                        List.of("sudo", "-n", "k0s", "start"));
        assertThat(ShellWords.parse("echo 'it'\\''s'")).containsExactly(List.of("echo", "it's"));
        assertThat(ShellWords.parse("echo '$(reboot); x'")).containsExactly(List.of("echo", "$(reboot); x"));
        assertThat(ShellWords.parse("echo ''")).containsExactly(List.of("echo", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo a; reboot", "echo $(reboot)", "echo `id`", "echo a | sh", "echo a > /etc/passwd",
        "echo a & reboot", "echo \"a\"", "echo a\nreboot", "echo ${IFS}", "echo *", "echo 'unterminated", "&& echo",
        "echo a &&", "echo a&&b"})
    void refusesEverythingARealShellWouldInterpret(String line) {
        assertThatThrownBy(() -> ShellWords.parse(line)).isInstanceOf(ShellWords.UnsupportedSyntaxException.class);
    }
}
