package io.k0rdent.ops.k0ops.up;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code k0ops up}: the whole suite on this machine, until Ctrl-C. State lives in {@code .k0ops/} and the
 * GitOps clone in {@code gitops/}, both in the current directory, so running it again resumes.
 */
@Command(name = "up", description = "Run the whole suite on this machine (Kafka, EC2 emulator, simulated hosts, "
        + "mail, Slack sink, GitOps repository, the four services) until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".k0ops",
            description = "Where the sandbox keeps its state (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--gitops-dir", paramLabel = "DIR", defaultValue = "gitops",
            description = "Your clone of the GitOps repository (default ${DEFAULT-VALUE}).")
    Path gitopsDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "The broker's port on 127.0.0.1 (default ${DEFAULT-VALUE}, where the other commands look).")
    int kafkaPort;

    @Option(names = "--smtp-port", paramLabel = "PORT", defaultValue = "2525",
            description = "The mail server's port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int smtpPort;

    @Option(names = "--repository-root", paramLabel = "DIR",
            description = "The k0rdent-ops checkout whose services to run (default: the one k0ops runs from).")
    Path repositoryRoot;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
            description = "JVMs each of the provisioner, bootstrap service and notifier (default ${DEFAULT-VALUE}; "
                    + "the gitwatcher always runs one). Each is named and logged apart, e.g. provisioner-2.")
    int replicas;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = repositoryRoot != null ? repositoryRoot : ServiceClasspath.repositoryRoot().orElseThrow(() ->
                new IllegalStateException("cannot tell which checkout to run the services from; use --repository-root"));
        for (Service service : Service.values()) {
            if (!ServiceClasspath.isBuilt(root, service.module())) {
                throw new IllegalStateException("the services are not built yet; run " + ServiceClasspath.BUILD_COMMAND
                        + " in " + root + " once, then ./k0ops up again");
            }
        }
        SandboxLayout layout = new SandboxLayout(stateDir, gitopsDir, root, kafkaPort, smtpPort);
        if (replicas < 1) {
            throw new IllegalArgumentException("--replicas must be at least 1, not " + replicas);
        }
        SandboxWorld sandbox = SandboxWorld.start(layout, line -> say(out, line), java.util.Map.of(), replicas);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say(out, "stopping (Ctrl-C) ...");
            sandbox.close();
            say(out, "stopped; state kept in " + layout.stateDir() + ", ./k0ops up resumes it");
            stopped.countDown();
        }, "k0ops-up-shutdown"));
        printWelcome(out, layout);
        stopped.await();
        return 0;
    }

    private static void say(PrintWriter out, String line) {
        out.println("k0ops up: " + line);
        out.flush();
    }

    private void printWelcome(PrintWriter out, SandboxLayout layout) {
        Path here = Path.of("").toAbsolutePath();
        String gitops = here.relativize(layout.gitopsDir()).toString();
        String state = here.relativize(layout.stateDir()).toString();
        out.println();
        out.println("k0rdent-ops is running. Add a cluster:");
        out.println();
        out.println("  cd " + gitops + " && cp templates/cluster-template.yaml clusters/dev-01.yaml && git add . \\");
        out.println("    && git commit -m \"Add dev-01\" && git push");
        out.println();
        out.println("Then watch it:");
        // The state dir's name varies, so the columns are padded to the longest entry rather than written in.
        String[][] rows = {
                {"./k0ops tail", "every lifecycle event as it happens"},
                {"./k0ops status", "each cluster's current state"},
                {"./k0ops plan " + gitops, "what your next push would change, and its cost"},
                {"./k0ops mail", "mail the notifier sent (./k0ops mail 1 to read one)"},
                {state + "/slack/messages.jsonl", "Slack messages"},
                {state + "/forge/statuses.jsonl", "commit statuses the notifier set (Gitea-compatible stand-in)"},
                {state + "/logs/", "the services' logs"}};
        int width = java.util.Arrays.stream(rows).mapToInt(row -> row[0].length()).max().orElse(0);
        for (String[] row : rows) {
            out.println("  " + row[0] + " ".repeat(width - row[0].length() + 4) + row[1]);
        }
        out.println();
        out.println("Ctrl-C stops everything; ./k0ops up again resumes with the same state.");
        out.flush();
    }
}
