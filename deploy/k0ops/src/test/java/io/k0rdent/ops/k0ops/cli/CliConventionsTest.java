package io.k0rdent.ops.k0ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.k0ops.K0ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** What every k0ops command does the same way: help, version, completion, durations, usage errors. */
class CliConventionsTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = K0ops.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** Every command path, e.g. [tail], [dlq, replay]. */
    static Stream<List<String>> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(K0ops.commandLine(), new ArrayList<>(), paths);
        return paths.stream();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return;
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            paths.add(next);
            collect(sub, next, paths);
        });
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void everyCommandAnswersHelpAndVersion(List<String> command) {
        for (String help : List.of("-h", "--help")) {
            List<String> args = new ArrayList<>(command);
            args.add(help);
            Run run = run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s %s", command, help).isZero();
            assertThat(run.out()).as("%s %s", command, help).startsWith("Usage: k0ops " + String.join(" ", command));
        }
        List<String> args = new ArrayList<>(command);
        args.add("--version");
        Run version = run(args.toArray(String[]::new));
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("k0ops ");
    }

    @Test
    void theCommandListIncludesTheOnesUsersAskForHelpOn() {
        assertThat(everyCommand().map(p -> String.join(" ", p)))
                .contains("tail", "status", "dlq replay", "plan", "generate-completion");
    }

    @Test
    void theInstalledCliCarriesNoSandboxCommands() {
        // up and mail come with deploy/sandbox-runner (what ./k0ops runs), never with the operator's CLI.
        assertThat(everyCommand().map(p -> String.join(" ", p))).doesNotContain("up", "mail");
    }

    @ParameterizedTest
    @CsvSource({"5s, PT5S", "2m, PT2M", "1h, PT1H", "500ms, PT0.5S", "1h30m, PT1H30M", "1d, PT24H", "PT5S, PT5S",
            "pt10s, PT10S"})
    void durationsAreReadAsPeopleWriteThem(String typed, String expected) {
        assertThat(new DurationConverter().convert(typed)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"5", "5x", "s", "5s5", "-5s", "P5"})
    void somethingThatIsNotADurationIsRefusedWithTheFormsThatWork(String typed) {
        assertThatThrownBy(() -> new DurationConverter().convert(typed))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("5s").hasMessageContaining("PT5S");
    }

    @Test
    void tailTakesItsIdleExitInSeconds() {
        CommandLine.ParseResult parsed = K0ops.commandLine().parseArgs("tail", "--idle-exit", "5s");
        assertThat(parsed.subcommand().matchedOptionValue("--idle-exit", Duration.ZERO))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBadDurationIsAUsageErrorWithExitCode2() {
        Run run = run("tail", "--idle-exit", "soon");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'soon' is not a duration");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCode2() {
        assertThat(run("status", "--no-such-option").exitCode()).isEqualTo(2);
    }

    @Test
    void completionIsABashScriptForEveryCommand() {
        Run run = run("generate-completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F").contains("tail").contains("dlq");
    }
}
