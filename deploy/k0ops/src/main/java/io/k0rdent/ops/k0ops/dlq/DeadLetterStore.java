package io.k0rdent.ops.k0ops.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.k0ops.inspect.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The dead-letter topics and the replay audit, read and written the way {@code k0ops dlq} needs. */
public final class DeadLetterStore {

    /** A dead-lettered record with its parsed headers and whether it was replayed already. */
    public record Entry(DeadLetterId id, DeadLetter letter, ConsumerRecord<byte[], byte[]> record, boolean replayed) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ObjectMapper mapper = EventJson.newMapper();

    public DeadLetterStore(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** Every dead letter on {@code topics} (all dead-letter topics when empty), oldest first per topic. */
    public List<Entry> list(List<String> topics) {
        Set<String> replayed = new HashSet<>();
        TopicReader reader = new TopicReader(consumer);
        reader.readAll(List.of(Topics.DLQ_REPLAYS.name()), r -> {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                replayed.remove(key);
            } else {
                replayed.add(key);
            }
        });
        List<String> names = topics.isEmpty() ? Topics.deadLetters().stream().map(Topic::name).toList() : topics;
        List<Entry> entries = new ArrayList<>();
        reader.readAll(names, r -> {
            DeadLetterId id = new DeadLetterId(r.topic(), r.partition(), r.offset());
            DeadLetter.from(r.headers()).ifPresent(letter ->
                    entries.add(new Entry(id, letter, r, replayed.contains(id.toString()))));
        });
        return entries;
    }

    public Optional<Entry> find(DeadLetterId id) {
        return list(List.of(id.topic())).stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The dead letter {@code id} (as {@code list} prints it); fails with a clear message when there is none. */
    public Entry require(String id) {
        DeadLetterId letterId = DeadLetterId.parse(id);
        return find(letterId).orElseThrow(() -> new IllegalArgumentException("no dead letter at " + letterId));
    }

    /**
     * Re-publishes the record to its original topic unchanged (marked with where it came from) and records
     * the replay, so {@code list} shows it and a second replay needs {@code --force}.
     */
    public void replay(Entry entry, KafkaProducer<byte[], byte[]> producer, String by)
            throws ExecutionException, InterruptedException, java.io.IOException {
        producer.send(DeadLetter.replayOf(entry.record(), entry.letter().originalTopic())).get();
        ObjectNode audit = mapper.createObjectNode();
        audit.put("replayedAt", Instant.now().toString());
        audit.put("to", entry.letter().originalTopic());
        audit.put("by", by);
        audit.put("reason", entry.letter().reason().name());
        producer.send(new ProducerRecord<>(Topics.DLQ_REPLAYS.name(),
                entry.id().toString().getBytes(StandardCharsets.UTF_8),
                mapper.writeValueAsBytes(audit))).get();
    }
}
