package io.k0rdent.ops.k0ops.control;

import io.k0rdent.ops.contracts.event.ClusterResumed;
import io.k0rdent.ops.contracts.event.ClusterSuspended;
import io.k0rdent.ops.contracts.event.EventHeader;
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

    /**
     * What the three commands share: find the cluster as {@code status} does (refusing one it does not know), then
     * act on it with its observed suspension.
     */
    abstract static class ControlCommand implements Callable<Integer> {

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() throws Exception {
            ControlRequest request = common.request();
            ControlRequest.Observed observed = request.observe(common.cluster);
            long generation = observed.status().orElseThrow(() -> new IllegalArgumentException("no cluster named "
                    + TerminalText.escape(common.cluster) + " (see k0ops status)")).generation();
            act(request, request.header(common.cluster, generation, common.by),
                    observed.suspensions().suspension(common.cluster), spec.commandLine().getOut());
            return 0;
        }

        /** Publishes the request (or explains why not), given the envelope it would carry. */
        abstract void act(ControlRequest request, EventHeader header, Optional<ClusterSuspended> suspension,
                          PrintWriter out) throws Exception;

        String cluster() {
            return TerminalText.escape(common.cluster);
        }
    }

    @Command(name = "suspend", description = "Stop every provisioning, bootstrap and drift action on a cluster until "
            + "it is resumed; Git changes are still validated and applied on resume.")
    public static final class Suspend extends ControlCommand {

        @Override
        void act(ControlRequest request, EventHeader header, Optional<ClusterSuspended> suspension, PrintWriter out)
                throws Exception {
            if (suspension.isPresent()) {
                out.println(cluster() + " is already suspended since " + suspension.get().header().occurredAt()
                        + " by " + who(suspension.get()));
                return;
            }
            request.publish(new ClusterSuspended(header, common.reason));
            out.println(cluster() + " suspended; k0ops resume " + cluster() + " applies what changes meanwhile");
        }
    }

    @Command(name = "resume", description = "End a suspension: the cluster's latest definition is applied again.")
    public static final class Resume extends ControlCommand {

        @Override
        void act(ControlRequest request, EventHeader header, Optional<ClusterSuspended> suspension, PrintWriter out)
                throws Exception {
            if (suspension.isEmpty()) {
                out.println(cluster() + " is not suspended");
                return;
            }
            request.publish(new ClusterResumed(header, common.reason));
            out.println(cluster() + " resumed; its latest definition is applied again");
        }
    }

    @Command(name = "reconcile", description = "Do it again now: re-drive the cluster's latest definition through "
            + "every stage (retries a failure).")
    public static final class Reconcile extends ControlCommand {

        @Override
        void act(ControlRequest request, EventHeader header, Optional<ClusterSuspended> suspension, PrintWriter out)
                throws Exception {
            if (suspension.isPresent()) {
                throw new IllegalStateException(cluster() + " is suspended since "
                        + suspension.get().header().occurredAt() + " by " + who(suspension.get())
                        + "; resume it first (k0ops resume " + cluster() + ")");
            }
            request.publish(new ReconcileRequested(header, common.reason));
            out.println(cluster() + ": reconcile requested; follow it with k0ops tail --cluster " + cluster());
        }
    }

    private static String who(ClusterSuspended suspension) {
        var initiator = suspension.header().initiator();
        String name = initiator == null ? "unknown" : TerminalText.escape(initiator.name());
        return suspension.reason() == null ? name : name + " (" + TerminalText.escape(suspension.reason()) + ")";
    }
}
