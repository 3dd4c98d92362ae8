package io.k0rdent.ops.contracts.topic;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every topic of k0rdent-ops. Lifecycle topics are keyed by cluster name so one cluster's events stay
 * ordered; each consuming service has its own dead-letter topic.
 */
public final class Topics {

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);
    private static final String CLUSTER_KEY = "cluster name";

    public static final Topic DEFINITIONS = new Topic("k0rdent.cluster.definitions", 12, false, MONTH, CLUSTER_KEY,
            "Accepted changes of cluster definitions in Git: created, updated (with field diff), deleted.");
    public static final Topic REJECTIONS = new Topic("k0rdent.cluster.rejections", 12, false, MONTH, CLUSTER_KEY
            + " (the file path when the file has no readable name)",
            "Changes in Git that were not accepted, with every problem found.");
    public static final Topic INFRASTRUCTURE = new Topic("k0rdent.cluster.infrastructure", 12, false, MONTH,
            CLUSTER_KEY, "AWS infrastructure facts: provisioned, nodes to retire, failures, destroyed, drift.");
    public static final Topic BOOTSTRAP = new Topic("k0rdent.cluster.bootstrap", 12, false, MONTH, CLUSTER_KEY,
            "k0s facts: cluster ready, bootstrap failed, nodes drained.");
    public static final Topic NOTIFICATIONS = new Topic("k0rdent.cluster.notifications", 12, false, MONTH,
            CLUSTER_KEY, "Audit trail of notifications: sent, failed.");

    /**
     * Kept without a time limit: it is the audit of what people asked, and the services rebuild which clusters are
     * suspended from it at start. A few records per cluster and month, written by people.
     */
    public static final Topic CONTROL = new Topic("k0rdent.cluster.control", 12, false, null, CLUSTER_KEY,
            "What people asked of a cluster outside Git, with who and when: suspend, resume, reconcile now.");

    public static final Topic GITWATCHER_STATE = new Topic("k0rdent.gitwatcher.state", 1, true, null,
            "repository URL + '#' + branch (the watermark), or + '#cluster/' + name (one accepted definition)",
            "The gitwatcher's last processed commit and accepted definitions per repository and branch; "
                    + "written in the same transaction as the events of that commit.");
    public static final Topic NOTIFIER_DELIVERIES = new Topic("k0rdent.notifier.deliveries", 12, true, null,
            "event id + '/' + destination",
            "Which (event, destination) pairs were already delivered, so a redelivery sends nothing twice.");

    public static final Topic DLQ_PROVISIONER = deadLetter("provisioner");
    public static final Topic DLQ_BOOTSTRAP = deadLetter("bootstrap");
    public static final Topic DLQ_NOTIFIER = deadLetter("notifier");

    /** Audit of {@code k0ops dlq replay}: which dead letter was replayed, when and where to. */
    public static final Topic DLQ_REPLAYS = new Topic("k0rdent.dlq.replays", 1, true, null,
            "<dead-letter topic>/<partition>/<offset>",
            "One record per replayed dead letter, so a replay is recorded and not repeated by accident.");

    private Topics() {
    }

    private static Topic deadLetter(String consumer) {
        return new Topic("k0rdent.dlq." + consumer, 1, false, MONTH, "the original record's key",
                "Records the " + consumer + " could not process, with the reason in dlq.* headers.");
    }

    /** The lifecycle topics, in the order a cluster passes through them. */
    public static List<Topic> lifecycle() {
        return List.of(DEFINITIONS, REJECTIONS, INFRASTRUCTURE, BOOTSTRAP, NOTIFICATIONS);
    }

    public static List<Topic> deadLetters() {
        return List.of(DLQ_PROVISIONER, DLQ_BOOTSTRAP, DLQ_NOTIFIER);
    }

    /** Every topic k0rdent-ops uses: what an installation must create. */
    public static List<Topic> all() {
        return List.of(DEFINITIONS, REJECTIONS, INFRASTRUCTURE, BOOTSTRAP, NOTIFICATIONS, CONTROL, GITWATCHER_STATE,
                NOTIFIER_DELIVERIES, DLQ_PROVISIONER, DLQ_BOOTSTRAP, DLQ_NOTIFIER, DLQ_REPLAYS);
    }

    public static Optional<Topic> byName(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
