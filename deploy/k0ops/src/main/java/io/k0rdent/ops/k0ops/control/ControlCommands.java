package io.k0rdent.ops.k0ops.control;

import io.k0rdent.ops.contracts.event.ClusterResumed;
import io.k0rdent.ops.contracts.event.ClusterSuspended;
import io.k0rdent.ops.contracts.event.ReconcileRequested;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.TerminalText;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k0ops suspend|resume|reconcile CLUSTER}: requests outside Git, published to {@code k0rdent.cluster.control}
 * with who and when, so they are audited and survive restarts. Each refuses a cluster {@code status} does not know
 * (exit 1); asking for what already holds (suspending a suspended cluster) publishes nothing and exits 0.
 */
public final class ControlCommands {

    private ControlCommands() {
    }

    /** Options every control command takes. */
    static final class Common {

        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster's metadata.name.")
        String cluster;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail and status.")
        String reason;

        @Option(names = "--by", paramLabel = "NAME [<EMAIL>]",
                defaultValue = "${env:K0OPS_USER:-${sys:user.name}}",
                description = "Who asks (default: $K0OPS_USER, else the login name: ${DEFAULT-VALUE}).")
        String by;

        ControlRequest request() {
            return new ControlRequest(kafka, Clock.systemUTC());
        }
    }

    private static long knownGeneration(String cluster, ControlRequest.Observed observed) {
        return observed.status().orElseThrow(() -> new IllegalArgumentException("no cluster named "
                + TerminalText.escape(cluster) + " (see k0ops status)")).generation();
    }

    @Command(name = "suspend", description = "Stop every provisioning, bootstrap and drift action on a cluster until "
            + "it is resumed; Git changes are still validated and applied on resume.")
    public static final class Suspend implements Callable<Integer> {

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ControlRequest request = common.request();
            ControlRequest.Observed observed = request.observe(common.cluster);
            long generation = knownGeneration(common.cluster, observed);
            PrintWriter out = spec.commandLine().getOut();
            Optional<ClusterSuspended> current = observed.suspensions().suspension(common.cluster);
            if (current.isPresent()) {
                out.println(TerminalText.escape(common.cluster) + " is already suspended since "
                        + current.get().header().occurredAt() + " by " + who(current.get()));
                return 0;
            }
            request.publish(new ClusterSuspended(request.header(common.cluster, generation, common.by),
                    common.reason));
            out.println(TerminalText.escape(common.cluster) + " suspended; k0ops resume "
                    + TerminalText.escape(common.cluster) + " applies what changes meanwhile");
            return 0;
        }
    }

    @Command(name = "resume", description = "End a suspension: the cluster's latest definition is applied again.")
    public static final class Resume implements Callable<Integer> {

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ControlRequest request = common.request();
            ControlRequest.Observed observed = request.observe(common.cluster);
            long generation = knownGeneration(common.cluster, observed);
            PrintWriter out = spec.commandLine().getOut();
            if (!observed.suspensions().isSuspended(common.cluster)) {
                out.println(TerminalText.escape(common.cluster) + " is not suspended");
                return 0;
            }
            request.publish(new ClusterResumed(request.header(common.cluster, generation, common.by),
                    common.reason));
            out.println(TerminalText.escape(common.cluster) + " resumed; its latest definition is applied again");
            return 0;
        }
    }

    @Command(name = "reconcile", description = "Do it again now: re-drive the cluster's latest definition through "
            + "every stage (retries a failure).")
    public static final class Reconcile implements Callable<Integer> {

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ControlRequest request = common.request();
            ControlRequest.Observed observed = request.observe(common.cluster);
            long generation = knownGeneration(common.cluster, observed);
            Optional<ClusterSuspended> suspended = observed.suspensions().suspension(common.cluster);
            if (suspended.isPresent()) {
                throw new IllegalStateException(TerminalText.escape(common.cluster) + " is suspended since "
                        + suspended.get().header().occurredAt() + " by " + who(suspended.get())
                        + "; resume it first (k0ops resume " + TerminalText.escape(common.cluster) + ")");
            }
            request.publish(new ReconcileRequested(request.header(common.cluster, generation, common.by),
                    common.reason));
            spec.commandLine().getOut().println(TerminalText.escape(common.cluster)
                    + ": reconcile requested; follow it with k0ops tail --cluster " + TerminalText.escape(common.cluster));
            return 0;
        }
    }

    private static String who(ClusterSuspended suspension) {
        var initiator = suspension.header().initiator();
        String name = initiator == null ? "unknown" : TerminalText.escape(initiator.name());
        return suspension.reason() == null ? name : name + " (" + TerminalText.escape(suspension.reason()) + ")";
    }
}
