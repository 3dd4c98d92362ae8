package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.k0ops.K0ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What ./k0ops runs: the whole CLI, with up and mail first, under the CLI's conventions. */
class SandboxK0opsTest {

    @Test
    void listsUpAndMailFirstThenEveryCommandOfTheCli() {
        List<String> cli = new ArrayList<>(K0ops.commandLine().getSubcommands().keySet());
        List<String> expected = new ArrayList<>(List.of("up", "mail"));
        expected.addAll(cli);

        assertThat(new ArrayList<>(SandboxK0ops.commandLine().getSubcommands().keySet())).isEqualTo(expected);
    }

    @Test
    void upAndMailAnswerHelpAndVersionLikeEveryOtherCommand() {
        for (String command : List.of("up", "mail")) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = SandboxK0ops.commandLine();
            commandLine.setOut(new PrintWriter(out));
            assertThat(commandLine.execute(command, "--help")).isZero();
            assertThat(out.toString()).startsWith("Usage: k0ops " + command);

            StringWriter version = new StringWriter();
            CommandLine again = SandboxK0ops.commandLine();
            again.setOut(new PrintWriter(version));
            assertThat(again.execute(command, "--version")).isZero();
            assertThat(version.toString()).startsWith("k0ops ");
        }
    }
}
