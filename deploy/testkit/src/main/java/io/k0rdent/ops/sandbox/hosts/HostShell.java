package io.k0rdent.ops.sandbox.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell of one {@link SimulatedHost}: splits a command line, drops {@code sudo -n}, fires injected
 * {@link Fault}s, and interprets the few commands an installer sends ({@code uname -m}, {@code hostname},
 * {@code cat}, {@code curl -o}, {@code chmod}, {@code mv}, {@code install /dev/stdin}, {@code rm}); {@code k0s}
 * goes to the host's {@link SimulatedK0s}.
 *
 * <p>Each command runs under its host's lock, as the state it reads and writes (files, k0s) is the host's.
 */
final class HostShell {

    static final String BINARY_MARKER = "SIMULATED-K0S ";
    private static final Pattern DOWNLOAD = Pattern.compile(".*/k0s-v([0-9]+\\.[0-9]+\\.[0-9]+\\+k0s\\.[0-9]+)-(amd64|arm64|arm)$");

    private final SimulatedHost host;
    private final SimulatedHosts owner;
    private final Map<String, byte[]> files;
    private final SimulatedK0s k0s;
    private final List<Fault> faults = new ArrayList<>();

    HostShell(SimulatedHost host, SimulatedHosts owner, Map<String, byte[]> files, SimulatedK0s k0s) {
        this.host = host;
        this.owner = owner;
        this.files = files;
        this.k0s = k0s;
    }

    /** Called under the host's lock. */
    void addFault(Fault fault) {
        faults.add(fault);
    }

    /** Runs a command line; reads standard input only when a command needs it. */
    CommandResult execute(String line, InputStream stdin) {
        CommandResult result;
        try {
            List<List<String>> commands = ShellWords.parse(line);
            result = CommandResult.ok("");
            StringBuilder out = new StringBuilder();
            for (List<String> argv : commands) {
                List<String> args = argv;
                if (args.size() >= 2 && args.get(0).equals("sudo") && args.get(1).equals("-n")) {
                    args = args.subList(2, args.size());
                }
                result = step(args, stdin);
                out.append(result.stdout());
                if (result.exitStatus() != 0) {
                    break;
                }
            }
            result = new CommandResult(result.exitStatus(), out.toString(), result.stderr());
        } catch (ShellWords.UnsupportedSyntaxException e) {
            result = CommandResult.error(2, "sh: the simulated shell refuses this line: " + e.getMessage() + "\n");
        }
        return result;
    }

    private CommandResult step(List<String> argv, InputStream stdin) {
        synchronized (host) {
            return interpret(argv, stdin);
        }
    }

    private CommandResult interpret(List<String> argv, InputStream stdin) {
        if (argv.isEmpty()) {
            return CommandResult.error(2, "sh: empty command\n");
        }
        Optional<CommandResult> injected = injectedFault(argv);
        if (injected.isPresent()) {
            return injected.get();
        }
        String program = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        return switch (program) {
            case "uname" -> args.equals(List.of("-m")) ? CommandResult.ok(host.machineName() + "\n") : CommandResult.error(1, "uname: unsupported\n");
            case "hostname" -> args.isEmpty() ? CommandResult.ok(host.hostname() + "\n") : CommandResult.error(1, "hostname: read-only\n");
            case "cat" -> cat(args);
            case "curl" -> curl(args);
            case "chmod" -> args.size() == 2 && files.containsKey(args.get(1)) ? CommandResult.ok("")
                    : CommandResult.error(1, "chmod: cannot access '" + last(args) + "': No such file or directory\n");
            case "mv" -> move(args);
            case "install" -> install(args, stdin);
            case "rm" -> {
                files.remove(last(args));
                yield CommandResult.ok("");
            }
            case "k0s" -> k0s.run(args);
            default -> CommandResult.error(127, "sh: 1: " + program + ": not found\n");
        };
    }

    private Optional<CommandResult> injectedFault(List<String> argv) {
        String joined = String.join(" ", argv);
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (joined.startsWith(fault.prefix())) {
                it.remove();
                if (fault.times() > 1) {
                    faults.add(new Fault(fault.prefix(), fault.exitStatus(), fault.stderr(), fault.times() - 1));
                }
                return Optional.of(CommandResult.error(fault.exitStatus(), fault.stderr()));
            }
        }
        return Optional.empty();
    }

    private static String last(List<String> args) {
        return args.isEmpty() ? "" : args.get(args.size() - 1);
    }

    private CommandResult cat(List<String> args) {
        if (args.size() != 1) {
            return CommandResult.error(1, "cat: one file only\n");
        }
        if (args.get(0).equals("/etc/os-release")) {
            return CommandResult.ok(host.osRelease());
        }
        byte[] content = files.get(args.get(0));
        return content == null ? CommandResult.error(1, "cat: " + args.get(0) + ": No such file or directory\n")
                : CommandResult.ok(new String(content, StandardCharsets.UTF_8));
    }

    private CommandResult curl(List<String> args) {
        int o = args.indexOf("-o");
        if (o < 0 || o + 1 >= args.size()) {
            return CommandResult.error(2, "curl: the simulation only supports -o FILE URL\n");
        }
        String url = last(args);
        if (url.startsWith(SimulatedHosts.DOWNLOAD_BASE)) {
            // GitHub is on the internet: a node gets there through an internet gateway with a public address, or a
            // NAT gateway; without a way out the connection is never answered.
            Optional<String> blocked = owner.network().internetBlocked(host.hostname());
            if (blocked.isPresent()) {
                return CommandResult.error(28, "curl: (28) Failed to connect to github.com port 443 after 130000 ms: "
                        + "Connection timed out\n");
            }
        }
        Matcher m = DOWNLOAD.matcher(url);
        if (!m.matches() || !url.startsWith(owner.downloadBase())) {
            return CommandResult.error(22, "curl: (22) The requested URL returned error: 404\n");
        }
        files.put(args.get(o + 1), (BINARY_MARKER + m.group(1) + " " + m.group(2)).getBytes(StandardCharsets.UTF_8));
        return CommandResult.ok("");
    }

    private CommandResult move(List<String> args) {
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (paths.size() != 2 || !files.containsKey(paths.get(0))) {
            return CommandResult.error(1, "mv: cannot stat: No such file or directory\n");
        }
        files.put(paths.get(1), files.remove(paths.get(0)));
        return CommandResult.ok("");
    }

    private CommandResult install(List<String> args, InputStream stdin) {
        if (args.size() != 5 || !args.get(0).equals("-D") || !args.get(1).equals("-m") || !args.get(3).equals("/dev/stdin")) {
            return CommandResult.error(1, "install: the simulation only supports -D -m MODE /dev/stdin FILE\n");
        }
        files.put(args.get(4), readAll(stdin));
        return CommandResult.ok("");
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
