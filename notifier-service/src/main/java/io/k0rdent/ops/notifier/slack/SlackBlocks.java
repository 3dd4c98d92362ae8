package io.k0rdent.ops.notifier.slack;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.DividerBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.webhook.Payload;
import io.k0rdent.ops.notifier.message.Fact;
import io.k0rdent.ops.notifier.message.MessageContent;
import io.k0rdent.ops.notifier.routing.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays a {@link MessageContent} out as a Block Kit message: a header, the short facts as section fields,
 * each long fact (error, kubeconfig command) as its own section, the digest's cluster list, and a context
 * line. Built with the Slack SDK's model, never from JSON strings.
 */
public final class SlackBlocks {

    // Block Kit limits: header text 150 chars, section text 3,000, a field 2,000, at most 10 fields.
    private static final int MAX_HEADER = 150;
    private static final int MAX_SECTION = 3000;
    private static final int MAX_FIELD = 2000;
    private static final int MAX_FIELDS = 10;

    private SlackBlocks() {
    }

    public static Payload payload(MessageContent content) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder()
                .text(PlainTextObject.builder().text(cut(emoji(content.severity()) + " " + content.title(), MAX_HEADER))
                        .emoji(true).build())
                .build());
        List<TextObject> fields = new ArrayList<>();
        List<Fact> longFacts = new ArrayList<>();
        for (Fact fact : content.facts()) {
            if (fact.code() || fact.value().length() > 200 || fields.size() == MAX_FIELDS) {
                longFacts.add(fact);
            } else {
                fields.add(markdown(cut("*" + escape(fact.label()) + "*\n" + value(fact), MAX_FIELD)));
            }
        }
        if (!fields.isEmpty()) {
            blocks.add(SectionBlock.builder().fields(fields).build());
        }
        for (Fact fact : longFacts) {
            blocks.add(SectionBlock.builder()
                    .text(markdown(cut("*" + escape(fact.label()) + "*\n" + value(fact), MAX_SECTION))).build());
        }
        if (!content.clusters().isEmpty()) {
            blocks.add(DividerBlock.builder().build());
            StringBuilder lines = new StringBuilder();
            content.clusters().forEach(line -> lines.append("• ").append(escape(line)).append('\n'));
            if (content.omittedClusters() > 0) {
                lines.append("… and ").append(content.omittedClusters()).append(" more");
            }
            blocks.add(SectionBlock.builder().text(markdown(cut(lines.toString(), MAX_SECTION))).build());
        }
        List<ContextBlockElement> context = List.of(markdown("k0rdent-ops · " + content.eventCount()
                + (content.eventCount() == 1 ? " event" : " events")));
        blocks.add(ContextBlock.builder().elements(context).build());
        return Payload.builder().text(cut(content.title(), MAX_SECTION)).blocks(blocks).build();
    }

    private static String value(Fact fact) {
        if (fact.code()) {
            // Backticks inside a code block would end it early.
            return "```" + escape(fact.value()).replace("```", "'''") + "```";
        }
        if (fact.link() != null) {
            return "<" + fact.link().replace("|", "%7C").replace(">", "%3E") + "|" + escape(fact.value()) + ">";
        }
        return escape(fact.value());
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }

    static String emoji(Severity severity) {
        return switch (severity) {
            case INFO -> ":white_check_mark:";
            case WARNING -> ":warning:";
            case ERROR -> ":x:";
        };
    }

    /** Slack's mrkdwn needs only these three escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
