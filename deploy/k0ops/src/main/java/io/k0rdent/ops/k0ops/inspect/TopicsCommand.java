package io.k0rdent.ops.k0ops.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import io.k0rdent.ops.k0ops.cli.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code k0ops topics}: each topic, its partitions, end offsets and every consumer group's lag on it. */
@Command(name = "topics", description = "List the k0rdent topics with partitions, end offsets and consumer-group lag.")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OutputOptions output;

    @Option(names = "--all", description = "Include topics that are not k0rdent's.")
    boolean all;

    @Spec
    CommandSpec spec;

    /** One topic's numbers. */
    public record TopicRow(String topic, int partitions, long endOffset, Map<String, Long> lagByGroup) {
    }

    @Override
    public Integer call() throws Exception {
        List<TopicRow> rows = collect();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectMapper mapper = EventJson.newMapper();
            ArrayNode array = mapper.createArrayNode();
            rows.forEach(r -> array.add(mapper.valueToTree(r)));
            out.println(mapper.writeValueAsString(array));
            out.flush();
            return 0;
        }
        Table table = new Table("TOPIC", "PARTITIONS", "END-OFFSET", "CONSUMER-GROUPS (LAG)");
        for (TopicRow row : rows) {
            StringBuilder groups = new StringBuilder();
            row.lagByGroup().forEach((g, lag) -> groups.append(groups.length() == 0 ? "" : ", ")
                    .append(g).append(" (").append(lag).append(")"));
            table.row(row.topic(), row.partitions(), row.endOffset(), groups.length() == 0 ? "-" : groups);
        }
        table.print(out);
        return 0;
    }

    private List<TopicRow> collect() throws Exception {
        long timeout = kafka.timeout().toMillis();
        try (Admin admin = kafka.admin()) {
            Collection<String> names = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).stream()
                    .filter(n -> all || n.startsWith("k0rdent.")).sorted().toList();
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(
                    p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);

            Map<String, Map<String, Long>> lag = new TreeMap<>();
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(timeout, TimeUnit.MILLISECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(timeout, TimeUnit.MILLISECONDS);
                committed.forEach((tp, offset) -> {
                    if (offset != null && ends.containsKey(tp)) {
                        lag.computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                                .merge(group.groupId(), Math.max(0, ends.get(tp).offset() - offset.offset()), Long::sum);
                    }
                });
            }
            List<TopicRow> rows = new ArrayList<>();
            for (String name : names) {
                TopicDescription d = descriptions.get(name);
                long end = d.partitions().stream()
                        .mapToLong(p -> ends.get(new TopicPartition(name, p.partition())).offset()).sum();
                rows.add(new TopicRow(name, d.partitions().size(), end, lag.getOrDefault(name, Map.of())));
            }
            return rows;
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(e);
        } catch (java.util.concurrent.ExecutionException e) {
            // The admin client's own timeout can win the race against ours; it means the same thing.
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(e.getCause());
            }
            throw new IllegalStateException("Kafka broker at " + kafka.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private IllegalStateException unreachable(Throwable cause) {
        return new IllegalStateException("Kafka broker unreachable at " + kafka.bootstrapServers()
                + " (no answer within " + kafka.timeout().toSeconds() + "s)", cause);
    }
}
