package io.k0rdent.ops.bootstrap.k0s;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A command to run on a node: one or more argument vectors run in sequence ({@code &&}), each
 * argument quoted with {@link ShellQuoting}, optionally under {@code sudo -n}, and optional bytes for
 * standard input. Secrets (join tokens, file contents) travel on standard input only, never in the
 * command line, so {@link #toString()} (what logs and {@code BootstrapFailed.command} show) holds none.
 *
 * @param steps argument vectors; the first word of each is the program
 * @param sudo  whether each step runs under {@code sudo -n} (non-interactive: fails instead of prompting)
 * @param stdin bytes written to standard input of the first step, or {@code null}
 */
public record RemoteCommand(List<List<String>> steps, boolean sudo, byte[] stdin) {

    public RemoteCommand {
        Objects.requireNonNull(steps, "steps");
        if (steps.isEmpty() || steps.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a remote command needs at least one program");
        }
        steps = steps.stream().map(List::copyOf).toList();
    }

    /** A single program with its arguments, run as the SSH user. */
    public static RemoteCommand of(String... argv) {
        return new RemoteCommand(List.of(Arrays.asList(argv)), false, null);
    }

    /** This command followed by {@code next} when this one succeeds. */
    public RemoteCommand andThen(String... argv) {
        List<List<String>> all = new ArrayList<>(steps);
        all.add(Arrays.asList(argv));
        return new RemoteCommand(all, sudo, stdin);
    }

    /** The same command run with root privileges ({@code sudo -n}) when {@code privileged}. */
    public RemoteCommand privileged(boolean privileged) {
        return new RemoteCommand(steps, privileged, stdin);
    }

    /** The same command reading {@code input} from standard input. */
    public RemoteCommand withStdin(byte[] input) {
        return new RemoteCommand(steps, sudo, input == null ? null : input.clone());
    }

    /** The exact line sent to the remote shell. */
    public String render() {
        return steps.stream()
                .map(argv -> (sudo ? "sudo -n " : "") + argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" ")))
                .collect(Collectors.joining(" && "));
    }

    /** The command line without any standard input: safe to log and to report. */
    @Override
    public String toString() {
        return render();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteCommand that && steps.equals(that.steps) && sudo == that.sudo
                && Arrays.equals(stdin, that.stdin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(steps, sudo) * 31 + Arrays.hashCode(stdin);
    }
}
