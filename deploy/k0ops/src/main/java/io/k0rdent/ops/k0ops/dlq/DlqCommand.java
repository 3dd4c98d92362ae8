package io.k0rdent.ops.k0ops.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.cli.OutputOptions;
import io.k0rdent.ops.k0ops.cli.Table;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k0ops dlq list|show|replay}: the records services gave up on, with their reason. */
@Command(name = "dlq", description = "Dead letters: list them, show one, replay to the original topic.",
        subcommands = {DlqCommand.List.class, DlqCommand.Show.class, DlqCommand.Replay.class})
public final class DlqCommand {

    @Command(name = "list", description = "List dead letters with their reason.")
    static final class List implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;
        @Mixin
        OutputOptions output;
        @Option(names = "--topic", paramLabel = "DLQ", description = "Only this dead-letter topic.")
        java.util.List<String> topics = new ArrayList<>();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.util.List<DeadLetterStore.Entry> entries;
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
                entries = new DeadLetterStore(consumer).list(topics);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                ObjectMapper mapper = EventJson.newMapper();
                ArrayNode array = mapper.createArrayNode();
                for (DeadLetterStore.Entry e : entries) {
                    ObjectNode node = array.addObject();
                    node.put("id", e.id().toString());
                    node.set("deadLetter", mapper.valueToTree(e.letter()));
                    node.put("replayed", e.replayed());
                }
                out.println(mapper.writeValueAsString(array));
            } else if (entries.isEmpty()) {
                out.println("no dead letters");
            } else {
                Table table = new Table("ID", "FROM", "REASON", "FAILED-AT", "REPLAYED", "MESSAGE");
                for (DeadLetterStore.Entry e : entries) {
                    table.row(e.id(), e.letter().originalTopic() + "/" + e.letter().originalPartition() + "/"
                                    + e.letter().originalOffset(), e.letter().reason(), e.letter().failedAt(),
                            e.replayed() ? "yes" : "no", oneLine(e.letter().message()));
                }
                table.print(out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "Show one dead letter: reason, headers, key and value.")
    static final class Show implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;
        @Parameters(paramLabel = "ID", description = "<dead-letter topic>/<partition>/<offset>, as 'list' prints it.")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            DeadLetterStore.Entry entry;
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
                entry = new DeadLetterStore(consumer).require(id);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("id:          " + entry.id());
            out.println("from:        " + entry.letter().originalTopic() + "/" + entry.letter().originalPartition()
                    + "/" + entry.letter().originalOffset());
            out.println("consumer:    " + entry.letter().consumerGroup());
            out.println("reason:      " + entry.letter().reason());
            out.println("message:     " + entry.letter().message());
            out.println("exception:   " + entry.letter().exception());
            out.println("failed at:   " + entry.letter().failedAt());
            out.println("replayed:    " + (entry.replayed() ? "yes" : "no"));
            out.println("headers:");
            for (Header header : entry.record().headers()) {
                out.println("  " + header.key() + ": " + printable(header.value()));
            }
            out.println("key:         " + printable(entry.record().key()));
            out.println("value:       " + printable(entry.record().value()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "replay", description = "Re-publish dead letters to their original topic and record it.")
    static final class Replay implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Dead letters to replay.")
        java.util.List<String> ids = new ArrayList<>();
        @Option(names = "--all", description = "Replay every dead letter not replayed yet (of --topic, or of all).")
        boolean all;
        @Option(names = "--topic", paramLabel = "DLQ", description = "With --all: only this dead-letter topic.")
        java.util.List<String> topics = new ArrayList<>();
        @Option(names = "--force", description = "Replay even if it was replayed before.")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (ids.isEmpty() && !all) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name dead letters or use --all");
            }
            PrintWriter out = spec.commandLine().getOut();
            int replayed = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader();
                 KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                DeadLetterStore store = new DeadLetterStore(consumer);
                java.util.List<DeadLetterStore.Entry> chosen = new ArrayList<>();
                if (all) {
                    store.list(topics).stream().filter(e -> force || !e.replayed()).forEach(chosen::add);
                }
                for (String id : ids) {
                    DeadLetterStore.Entry entry = store.require(id);
                    if (entry.replayed() && !force) {
                        throw new IllegalStateException(entry.id() + " was replayed already; use --force to replay again");
                    }
                    chosen.add(entry);
                }
                String by = System.getProperty("user.name", "unknown");
                for (DeadLetterStore.Entry entry : chosen) {
                    store.replay(entry, producer, by);
                    out.println("replayed " + entry.id() + " to " + entry.letter().originalTopic());
                    replayed++;
                }
            }
            if (replayed == 0) {
                out.println("nothing to replay");
            }
            out.flush();
            return 0;
        }
    }

    private static String oneLine(String message) {
        String line = message == null ? "" : message.replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 99) + "…" : line;
    }

    /** UTF-8 text when the bytes are text, else hex, so a poison record's bytes can be seen as they are. */
    static String printable(byte[] bytes) {
        if (bytes == null) {
            return "(null)";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\t' || c == '\r')) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // fall through to hex
        }
        return "hex:" + HexFormat.of().formatHex(bytes);
    }
}
