package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k0ops timeline CLUSTER}: every event of one cluster in order, with the time spent in each stage. */
@Command(name = "timeline", description = "Every event of one cluster in order, with the time since the previous one.")
public final class TimelineCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "CLUSTER", description = "The cluster name.")
    String cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Timeline.Entry> entries;
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
            entries = Timeline.of(LifecycleLog.read(consumer).eventsOf(cluster));
        }
        if (entries.isEmpty()) {
            spec.commandLine().getErr().println("k0ops: no events for cluster '" + cluster + "'");
            return 1;
        }
        EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), output.json(), output.color());
        entries.forEach(e -> printer.print(e.event(), e.sincePrevious() == null ? null
                : Timeline.format(e.sincePrevious())));
        return 0;
    }
}
