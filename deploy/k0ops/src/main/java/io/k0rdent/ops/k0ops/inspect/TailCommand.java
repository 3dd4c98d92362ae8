package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code k0ops tail}: follow lifecycle events as they happen. */
@Command(name = "tail", description = "Follow lifecycle events (Ctrl-C stops).")
public final class TailCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OutputOptions output;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster's events.")
    String cluster;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Only events whose type contains TYPE, e.g. ready, failed, bootstrap.ready.")
    String type;

    @Option(names = "--from-beginning", description = "Start with the oldest retained event instead of now.")
    boolean fromBeginning;

    @Option(names = {"-n", "--max-events"}, paramLabel = "N", description = "Stop after N events.")
    Integer maxEvents;

    @Option(names = "--idle-exit", paramLabel = "DURATION",
            description = "Stop when no event arrived for this long (e.g. 5s, 2m or ISO-8601 PT5S); for scripts.")
    Duration idleExit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops"));
        EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), output.json(), output.color());
        AtomicInteger printed = new AtomicInteger();
        long[] lastActivity = {System.nanoTime()};
        List<String> topics = Topics.lifecycle().stream().map(Topic::name).toList();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
            new TopicReader(consumer).follow(topics, fromBeginning,
                    () -> (maxEvents != null && printed.get() >= maxEvents)
                            || (idleExit != null && System.nanoTime() - lastActivity[0] > idleExit.toNanos()),
                    record -> {
                        lastActivity[0] = System.nanoTime();
                        ClusterEvent event;
                        try {
                            event = codec.decode(record);
                        } catch (EventDecodingException e) {
                            spec.commandLine().getErr().println("skipped undecodable record " + record.topic() + "/"
                                    + record.partition() + "/" + record.offset() + ": " + e.getMessage());
                            return;
                        }
                        if (matches(event)) {
                            printer.print(event, null);
                            printed.incrementAndGet();
                        }
                    });
        }
        return 0;
    }

    private boolean matches(ClusterEvent event) {
        return (cluster == null || cluster.equals(event.header().clusterName()))
                && (type == null || event.type().ceType().contains(type));
    }
}
