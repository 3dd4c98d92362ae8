package io.k0rdent.ops.notifier.email;

import io.k0rdent.ops.notifier.message.Fact;
import io.k0rdent.ops.notifier.message.MessageContent;

/** The HTML part of a notification e-mail (the text part is {@link MessageContent#plainText()}). */
public final class EmailBodies {

    private EmailBodies() {
    }

    public static String html(MessageContent content) {
        StringBuilder html = new StringBuilder(1024)
                .append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
                .append("<h2>").append(escape(content.title())).append("</h2>")
                .append("<table cellpadding=\"4\">");
        for (Fact fact : content.facts()) {
            html.append("<tr><th align=\"left\" valign=\"top\">").append(escape(fact.label())).append("</th><td>");
            if (fact.code()) {
                html.append("<pre>").append(escape(fact.value())).append("</pre>");
            } else if (fact.link() != null) {
                html.append("<a href=\"").append(escape(fact.link())).append("\">").append(escape(fact.value()))
                        .append("</a>");
            } else {
                html.append(escape(fact.value()));
            }
            html.append("</td></tr>");
        }
        html.append("</table>");
        if (!content.clusters().isEmpty()) {
            html.append("<ul>");
            content.clusters().forEach(line -> html.append("<li>").append(escape(line)).append("</li>"));
            html.append("</ul>");
            if (content.omittedClusters() > 0) {
                html.append("<p>… and ").append(content.omittedClusters()).append(" more</p>");
            }
        }
        return html.append("<p style=\"color:#888\">k0rdent-ops</p></body></html>").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
