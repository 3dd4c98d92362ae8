package io.k0rdent.ops.k0ops.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.control.Suspensions;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.k0ops.control.ControlLog;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import io.k0rdent.ops.k0ops.cli.Table;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code k0ops status}: one row per cluster, folded from the lifecycle topics, plus every cluster the gitwatcher holds
 * whose events have all expired. Exit 3 if any cluster failed.
 */
@Command(name = "status", description = "One row per cluster: stage, generation, last event, age, errors. "
        + "Exits 3 when a cluster is in a failed stage.")
public final class StatusCommand implements Callable<Integer> {

    /** Exit code when at least one cluster's current stage is a failure, so scripts can alert on it. */
    public static final int EXIT_FAILED_CLUSTERS = 3;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LifecycleLog log;
        Map<String, Long> accepted;
        Suspensions suspensions;
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
            log = LifecycleLog.read(consumer);
            accepted = AcceptedClusters.read(consumer);
            suspensions = ControlLog.read(consumer);
        }
        ClusterStatusFolder folder = new ClusterStatusFolder();
        log.events().forEach(folder::accept);
        accepted.forEach(folder::acceptKnown);
        folder.applySuspensions(suspensions);
        List<ClusterStatus> clusters = folder.clusters();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectMapper mapper = EventJson.newMapper();
            out.println(mapper.writeValueAsString(clusters));
        } else if (clusters.isEmpty()) {
            out.println("no clusters yet (no lifecycle events on " + kafka.bootstrapServers() + ")");
        } else {
            Clock clock = Clock.systemUTC();
            Table table = new Table("CLUSTER", "STAGE", "GEN", "LAST EVENT", "AGE", "ERRORS", "LAST ERROR");
            for (ClusterStatus c : clusters) {
                String stage = c.suspension() == null ? c.stage().label() : c.stage().label() + " (suspended)";
                table.row(c.cluster(), stage, c.generation(), c.lastEventType(),
                        c.lastEventAt() == null ? null
                                : Timeline.format(Duration.between(c.lastEventAt(), clock.instant()).withNanos(0)),
                        c.errors(), c.lastError());
            }
            table.print(out);
        }
        if (log.undecodable() > 0) {
            spec.commandLine().getErr().println(log.undecodable()
                    + " undecodable record(s) skipped on the lifecycle topics (see k0ops dlq list)");
        }
        out.flush();
        return clusters.stream().anyMatch(c -> c.stage().failed()) ? EXIT_FAILED_CLUSTERS : 0;
    }
}
