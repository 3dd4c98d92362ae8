package io.k0rdent.ops.notifier.message;

import io.k0rdent.ops.notifier.routing.Severity;
import java.util.List;

/**
 * A message independent of its channel; {@code SlackNotifier}, {@code EmailNotifier} and
 * {@code WebhookNotifier} each lay it out in their own format.
 *
 * @param title      one line, no markup, e.g. {@code dev-01: bootstrap failed at JOIN_WORKERS}
 * @param severity   drives colour/emoji
 * @param facts      labelled details: cluster, stage, commit, author, duration, error, remediation, kubeconfig
 * @param clusters   for a digest, one line per cluster (possibly cut short, see {@code omittedClusters}); else empty
 * @param omittedClusters how many cluster lines were left out of a long digest
 * @param eventCount how many events the message covers
 */
public record MessageContent(String title, Severity severity, List<Fact> facts, List<String> clusters,
                             int omittedClusters, int eventCount) {

    public MessageContent {
        facts = List.copyOf(facts);
        clusters = List.copyOf(clusters);
    }

    /** The message as plain text: the e-mail text part and the Slack fallback text. */
    public String plainText() {
        StringBuilder text = new StringBuilder(title).append("\n\n");
        for (Fact fact : facts) {
            text.append(fact.label()).append(": ").append(fact.value());
            if (fact.link() != null) {
                text.append(" <").append(fact.link()).append('>');
            }
            text.append('\n');
        }
        if (!clusters.isEmpty()) {
            text.append('\n');
            clusters.forEach(line -> text.append("- ").append(line).append('\n'));
            if (omittedClusters > 0) {
                text.append("… and ").append(omittedClusters).append(" more\n");
            }
        }
        return text.toString();
    }
}
