package io.k0rdent.ops.k0ops;

import io.k0rdent.ops.k0ops.cli.DurationConverter;
import io.k0rdent.ops.k0ops.control.ControlCommands;
import io.k0rdent.ops.k0ops.dlq.DlqCommand;
import io.k0rdent.ops.k0ops.inspect.StatusCommand;
import io.k0rdent.ops.k0ops.kubeconfig.KubeconfigCommand;
import io.k0rdent.ops.k0ops.inspect.TailCommand;
import io.k0rdent.ops.k0ops.inspect.TimelineCommand;
import io.k0rdent.ops.k0ops.inspect.TopicsCommand;
import io.k0rdent.ops.k0ops.plan.PlanCommand;
import io.k0rdent.ops.k0ops.validate.ValidateCommand;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code k0ops}: one command for users and operators of k0rdent-ops.
 *
 * <p>Errors are one clear line on stderr (exit code 1), with the stack trace only under {@code --verbose};
 * usage errors exit with 2.
 */
@Command(name = "k0ops", mixinStandardHelpOptions = true, versionProvider = K0ops.Version.class,
        description = "Inspect and operate k0rdent-ops: topics, events, cluster status, kubeconfigs, suspend, resume "
                + "and reconcile, dead letters, validation, plans.",
        subcommands = {TopicsCommand.class, TailCommand.class, StatusCommand.class, TimelineCommand.class,
                KubeconfigCommand.class, ControlCommands.Suspend.class, ControlCommands.Resume.class,
                ControlCommands.Reconcile.class,
                DlqCommand.class, ValidateCommand.class, PlanCommand.class, CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class K0ops {

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it with their own writers. */
    public static CommandLine commandLine() {
        return commandLine(new Object[0]);
    }

    /**
     * The command line with more commands listed first: the sandbox runner's {@code up} and {@code mail}, which
     * live in their own artifact so that this one carries no sandbox.
     */
    public static CommandLine commandLine(Object... firstCommands) {
        CommandLine commandLine = new CommandLine(new K0ops());
        if (firstCommands.length > 0) {
            // Picocli lists commands in the order they were added: take the CLI's own out and add them back after.
            // Back as new command lines of the same commands, because the removed ones already carry --verbose,
            // which is inherited again on adding.
            Map<String, CommandLine> own = new LinkedHashMap<>(commandLine.getSubcommands());
            own.keySet().forEach(commandLine.getCommandSpec()::removeSubcommand);
            for (Object command : firstCommands) {
                commandLine.addSubcommand(command);
            }
            own.forEach((name, command) ->
                    commandLine.addSubcommand(name, new CommandLine(command.getCommandSpec().userObject())));
        }
        conventions(commandLine);
        commandLine.setExecutionExceptionHandler(K0ops::handleError);
        return commandLine;
    }

    // Every command, however deeply nested and whenever added, answers -h/--help and -V/--version and reads
    // durations the same way, so no command can forget.
    private static void conventions(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("--version") == null) {
            spec.mixinStandardHelpOptions(true);
        } else if (spec.findOption("--version") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("--version").versionHelp(true)
                    .description("Print version information and exit.").build());
        }
        spec.versionProvider(new Version());
        command.registerConverter(Duration.class, new DurationConverter());
        command.getSubcommands().values().forEach(K0ops::conventions);
    }

    private static int handleError(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("k0ops: " + describe(e));
        boolean verbose = parseResult.originalArgs().contains("--verbose");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Reports the version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = K0ops.class.getPackage().getImplementationVersion();
            return new String[] {"k0ops " + (version == null ? "development build" : version)};
        }
    }
}
