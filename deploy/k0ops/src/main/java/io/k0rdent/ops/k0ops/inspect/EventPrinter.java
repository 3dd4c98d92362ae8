package io.k0rdent.ops.k0ops.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.k0rdent.ops.k0ops.cli.TerminalText;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.EventJson;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Prints events as aligned human lines, or as one JSON object per line for scripts. */
public final class EventPrinter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final boolean json;
    private final boolean color;
    private final ObjectMapper mapper = EventJson.newMapper();

    public EventPrinter(PrintWriter out, boolean json, boolean color) {
        this.out = out;
        this.json = json;
        this.color = color;
    }

    /** @param extra a column before the summary (e.g. time in stage), or {@code null} */
    public void print(ClusterEvent event, String extra) {
        if (json) {
            ObjectNode line = mapper.createObjectNode();
            line.put("type", event.type().ceType());
            line.set("event", mapper.valueToTree(event));
            if (extra != null) {
                line.put("sincePrevious", extra);
            }
            out.println(line);
        } else {
            String type = EventSummary.shortType(event.type().ceType());
            String summary = EventSummary.of(event);
            if (color) {
                String tint = Stage.after(event.type()).map(s -> s.failed() ? RED : s == Stage.READY ? GREEN : "")
                        .orElse("");
                type = tint.isEmpty() ? type : tint + type + RESET;
            }
            out.printf("%s  %-24s gen %-3d %-40s %s%s%n", TIME.format(event.header().occurredAt()),
                    TerminalText.escape(event.header().clusterName()), event.header().generation(), type,
                    extra == null ? "" : "+" + extra + "  ", TerminalText.escape(summary));
        }
        out.flush();
    }
}
