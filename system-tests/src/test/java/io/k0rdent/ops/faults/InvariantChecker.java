package io.k0rdent.ops.faults;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NotificationEvent;
import io.k0rdent.ops.contracts.event.NotificationFailed;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.sandbox.ec2.AuditLog;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The invariants of a fault run, checked from the outside only: the emulator's resources and audit log, the
 * topics, the mail directory and the Slack sink's log. Every broken invariant is a violation with enough detail to
 * start looking; what is accounted for (digests, republished events, the notifier's documented window) is a note.
 */
final class InvariantChecker {

    /** The outcome: violations fail the run; notes and numbers go into the report. */
    record Result(List<String> violations, List<String> notes, Map<String, Long> numbers) {
    }

    /** Inputs gathered after the run settled. */
    record Observed(List<ClusterPlan> plans, TopicSnapshot topics, Ec2Inventory ec2, AuditLog audit,
                    Function<String, String> k0sVersionAtAddress, String sshEndpointTag, List<String> slackMessages,
                    int slackRefused, Path mailDir, List<PoisonInjector.Poison> poison,
                    Map<String, Map<TopicPartition, OffsetAndMetadata>> committedOffsets, int notifierKills,
                    int workloadCommits, java.time.Instant rolledBackAt, List<DriftRepair> drifts) {
    }

    /** A rule revoked outside Git during the run, and whether it is in its group again now. */
    record DriftRepair(DriftInjector.Revoked rule, boolean back) {
    }

    // sandbox-forge: the commit statuses k0ops up writes to its forge stand-in, one per lifecycle event (audited like
    // the others; its messages are not counted at the destination below).
    static final List<String> FIXED_DESTINATIONS = List.of("sandbox-slack", "sandbox-mail", "sandbox-forge");
    static final String AUTHOR_DESTINATION = "commit-author";

    private final List<String> violations = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Long> numbers = new LinkedHashMap<>();

    static Result check(Observed observed) throws Exception {
        InvariantChecker checker = new InvariantChecker();
        checker.endStates(observed);
        NodePoolInvariants.check(observed, checker.violations, checker.numbers);
        DriftInvariant.check(observed, checker.violations, checker.notes, checker.numbers);
        checker.orphans(observed);
        checker.definitionsOnce(observed);
        checker.brokenDefinition(observed);
        checker.notifications(observed);
        checker.deadLetters(observed);
        return new Result(List.copyOf(checker.violations), List.copyOf(checker.notes), Map.copyOf(checker.numbers));
    }

    /** Every cluster ends as Git says: Ready with its nodes and version (events and emulator), or fully destroyed. */
    private void endStates(Observed o) {
        Convergence.pending(o.topics(), o.plans(), false).forEach(p -> violations.add("end state: " + p));
        for (ClusterPlan plan : o.plans()) {
            List<Ec2Inventory.Resource> live = o.ec2().liveOf(plan.name());
            if (plan.deleted()) {
                if (!live.isEmpty()) {
                    violations.add("end state: deleted cluster " + plan.name() + " still has " + describe(live));
                }
                continue;
            }
            // Instances per slot and type, retired ones gone: NodePoolInvariants.
            for (Ec2Inventory.Resource instance : o.ec2().liveInstancesOf(plan.name())) {
                String endpoint = instance.tags().get(o.sshEndpointTag());
                String version = endpoint == null ? null : o.k0sVersionAtAddress().apply(endpoint.split(":")[0]);
                if (version == null || !version.contains(plan.version())) {
                    violations.add("end state: " + plan.name() + " instance " + instance.id() + " runs k0s " + version
                            + ", Git says " + plan.version());
                }
            }
        }
        numbers.put("clusters", (long) o.plans().size());
        numbers.put("clusters kept (Ready)", o.plans().stream().filter(p -> !p.deleted()).count());
        numbers.put("clusters deleted", o.plans().stream().filter(ClusterPlan::deleted).count());
        numbers.put("clusters re-created by the rollback", o.plans().stream().filter(ClusterPlan::recreated).count());
    }

    /** Nothing is left in the emulator that no kept cluster owns. */
    private void orphans(Observed o) {
        Set<String> kept = o.plans().stream().filter(p -> !p.deleted()).map(ClusterPlan::name).collect(Collectors.toSet());
        Set<String> liveVpcs = new HashSet<>();
        for (Ec2Inventory.Resource r : o.ec2().resources()) {
            if (r.kind().equals("vpc")) {
                if (r.cluster() != null && kept.contains(r.cluster())) {
                    liveVpcs.add(r.id());
                } else {
                    violations.add("orphan: " + r.kind() + " " + r.id() + " (cluster " + r.cluster() + ")");
                }
            }
        }
        for (String cluster : kept) {
            long vpcs = o.ec2().liveOf(cluster).stream().filter(r -> r.kind().equals("vpc")).count();
            if (vpcs != 1) {
                violations.add("end state: " + cluster + " has " + vpcs + " VPCs");
            }
        }
        for (Ec2Inventory.Resource r : o.ec2().resources()) {
            if (r.kind().equals("vpc") || !r.live()) {
                continue;
            }
            boolean owned = r.cluster() != null ? kept.contains(r.cluster()) : r.isDefault() && liveVpcs.contains(r.vpcId());
            if (!owned) {
                violations.add("orphan: " + r.kind() + " " + r.id() + " (cluster " + r.cluster() + ", vpc " + r.vpcId() + ")");
            }
        }
        numbers.put("EC2 resources left", o.ec2().resources().stream().filter(Ec2Inventory.Resource::live).count());
    }

    /**
     * The gitwatcher published each change once (read_committed): one Created, two Updated (scale, upgrade), one
     * Deleted for deleted clusters. The force-pushed rewrite of the upgrade commit has the same tree: nothing more.
     */
    private void definitionsOnce(Observed o) {
        Map<UUID, Long> ids = o.topics().lifecycle().stream().filter(p -> p.event() != null)
                .filter(p -> p.topic().equals(Topics.DEFINITIONS.name()) || p.topic().equals(Topics.REJECTIONS.name()))
                .collect(Collectors.groupingBy(p -> p.event().header().eventId(), Collectors.counting()));
        ids.forEach((id, count) -> {
            if (count > 1) {
                violations.add("gitwatcher published event " + id + " " + count + " times");
            }
        });
        for (ClusterPlan plan : o.plans()) {
            List<ClusterEvent> events = o.topics().eventsOf(plan.name());
            long created = events.stream().filter(ClusterDefinitionCreated.class::isInstance).count();
            long updated = events.stream().filter(ClusterDefinitionUpdated.class::isInstance).count();
            long deleted = events.stream().filter(ClusterDefinitionDeleted.class::isInstance).count();
            // A re-created cluster: deleted once, then created again by the rollback.
            long wantCreated = plan.recreated() ? 2 : 1;
            long wantDeleted = plan.deleted() || plan.recreated() ? 1 : 0;
            if (created != wantCreated || updated != 2 || deleted != wantDeleted) {
                violations.add("definitions of " + plan.name() + ": created " + created + ", updated " + updated
                        + ", deleted " + deleted + " (expected " + wantCreated + ", 2, " + wantDeleted + ")");
            }
        }
        Map<String, Long> republished = new TreeMap<>();
        o.topics().lifecycle().stream().filter(p -> p.event() != null)
                .collect(Collectors.groupingBy(p -> p.event().header().eventId(), Collectors.toList()))
                .forEach((id, records) -> {
                    if (records.size() > 1) {
                        ClusterEvent e = records.get(0).event();
                        republished.merge(records.get(0).topic() + " (" + e.type() + ", generation "
                                + e.header().generation() + ")", (long) records.size() - 1, Long::sum);
                    }
                });
        republished.forEach((topic, count) -> notes.add(count + " event(s) on " + topic
                + " republished with the same id after a crash or retry (consumers deduplicate by id)"));
        numbers.put("lifecycle records", (long) o.topics().lifecycle().size());
        numbers.put("lifecycle events (distinct ids)", (long) uniqueEvents(o).size());
        numbers.put("ProvisioningFailed", uniqueEvents(o).values().stream().filter(ProvisioningFailed.class::isInstance).count());
        numbers.put("BootstrapFailed", uniqueEvents(o).values().stream().filter(BootstrapFailed.class::isInstance).count());
        numbers.put("workload commits", (long) o.workloadCommits());
    }

    /** The broken definition: exactly one rejection, and nothing anywhere else. */
    private void brokenDefinition(Observed o) {
        List<ClusterEvent> events = o.topics().eventsOf(Workload.BROKEN);
        long rejections = events.stream().filter(ClusterDefinitionRejected.class::isInstance).count();
        if (rejections != 1 || events.size() != 1) {
            violations.add("broken definition: " + rejections + " rejection(s) and " + (events.size() - rejections)
                    + " other event(s); expected exactly one rejection");
        }
        long otherRejections = uniqueEvents(o).values().stream().filter(ClusterDefinitionRejected.class::isInstance)
                .filter(e -> !e.header().clusterName().equals(Workload.BROKEN)).count();
        if (otherRejections > 0) {
            violations.add("rejections of workload clusters: " + otherRejections);
        }
        if (!o.ec2().liveOf(Workload.BROKEN).isEmpty()) {
            violations.add("broken definition has EC2 resources: " + describe(o.ec2().liveOf(Workload.BROKEN)));
        }
    }

    /**
     * Every lifecycle event reached each of its destinations exactly once: one audit record per (event, destination),
     * and as many messages at the Slack sink and in the mailbox as the audit says were sent (digests counted once).
     */
    private void notifications(Observed o) throws Exception {
        Map<UUID, ClusterEvent> events = uniqueEvents(o);
        Map<String, Set<String>> expected = new HashMap<>();
        for (ClusterEvent event : events.values()) {
            Set<String> destinations = new HashSet<>(FIXED_DESTINATIONS);
            if (event.header().initiator() != null && event.header().initiator().email() != null) {
                destinations.add(AUTHOR_DESTINATION);
            }
            expected.put(event.header().eventId().toString(), destinations);
        }
        Map<String, Long> sent = new HashMap<>();
        List<NotificationSent> sentEvents = new ArrayList<>();
        long failed = 0;
        for (NotificationEvent n : o.topics().notifications()) {
            if (n instanceof NotificationSent s) {
                sentEvents.add(s);
                sent.merge(s.subjectEventId() + "/" + s.destination(), 1L, Long::sum);
            } else if (n instanceof NotificationFailed f) {
                failed++;
                violations.add("notification failed: " + f.subjectType() + " of " + f.header().clusterName() + " to "
                        + f.destination() + ": " + f.reason() + (f.permanent() ? " (permanent)" : ""));
            }
        }
        long expectedPairs = 0;
        for (Map.Entry<String, Set<String>> entry : expected.entrySet()) {
            for (String destination : entry.getValue()) {
                expectedPairs++;
                long count = sent.getOrDefault(entry.getKey() + "/" + destination, 0L);
                if (count != 1) {
                    ClusterEvent event = events.get(UUID.fromString(entry.getKey()));
                    violations.add("notification of " + event.type() + " " + entry.getKey() + " ("
                            + event.header().clusterName() + ") to " + destination + ": " + count + " audit records");
                }
            }
        }
        sent.keySet().stream().filter(k -> {
            String[] parts = k.split("/", 2);
            return !expected.getOrDefault(parts[0], Set.of()).contains(parts[1]);
        }).forEach(k -> violations.add("notification for no lifecycle event on the topics: " + k));

        // Messages: one per delivery. A delivery's audit records share their destination and time and say how many
        // events the message covered.
        Map<String, List<NotificationSent>> deliveries = sentEvents.stream().collect(Collectors.groupingBy(
                s -> s.destination() + "@" + s.header().occurredAt()));
        Map<String, Long> messagesPerDestination = new TreeMap<>();
        deliveries.forEach((key, items) -> {
            if (items.size() != items.get(0).eventsInDigest()) {
                violations.add("digest accounting: delivery " + key + " has " + items.size()
                        + " audit records but says " + items.get(0).eventsInDigest() + " events");
            }
            messagesPerDestination.merge(items.get(0).destination(), 1L, Long::sum);
        });

        // Messages at the destinations against the audit. Fewer is a lost message. More is a repeat: the notifier's
        // documented window, a crash between a destination's 200 and the ledger transaction, after which the events
        // are sent again. Every death of the notifier can land there: a kill from outside, and a crash point too, since
        // the halt after one destination's record can fall between another destination's send and its record. Each
        // destination has one worker, so a death repeats at most one message per destination: that much is
        // accounted for, named in the report, and anything beyond it is a violation. A repeated digest may be grouped
        // differently after the restart; it then has another Message-ID (see docs/reliability.md, finding 3).
        Map<String, Long> arrived = new TreeMap<>();
        arrived.put("sandbox-slack", (long) o.slackMessages().size());
        Map<String, List<String>> mailIds = mailIdsByDestination(o.mailDir());
        long sameIdRepeats = 0;
        for (String destination : List.of("sandbox-mail", AUTHOR_DESTINATION)) {
            List<String> ids = mailIds.getOrDefault(destination, List.of());
            arrived.put(destination, (long) ids.size());
            sameIdRepeats += ids.size() - ids.stream().distinct().count();
        }
        long repeats = 0;
        for (Map.Entry<String, Long> entry : arrived.entrySet()) {
            long want = messagesPerDestination.getOrDefault(entry.getKey(), 0L);
            long extra = entry.getValue() - want;
            if (extra < 0) {
                violations.add("lost: " + entry.getKey() + " received " + entry.getValue() + " messages, the audit says "
                        + want + " were sent");
            } else if (extra > o.notifierKills()) {
                violations.add("repeated: " + entry.getKey() + " received " + extra + " message(s) more than the audit"
                        + " records, after " + o.notifierKills() + " notifier kill(s)");
            } else if (extra > 0) {
                notes.add(entry.getKey() + ": " + extra + " message(s) more than recorded, after "
                        + o.notifierKills() + " notifier kill(s): the documented window between a send and"
                        + " its ledger transaction");
            }
            repeats += Math.max(0, extra);
        }
        if (sameIdRepeats > 0) {
            notes.add(sameIdRepeats + " repeated mail(s) carry the Message-ID of the first, so clients can fold them");
        }
        numbers.put("notifications expected (event × destination)", expectedPairs);
        numbers.put("notifications recorded sent", (long) sentEvents.size());
        numbers.put("notifications recorded failed", failed);
        numbers.put("Slack messages at the sink", (long) o.slackMessages().size());
        numbers.put("Slack requests refused (429/500)", (long) o.slackRefused());
        numbers.put("mails", (long) mailIds.values().stream().mapToInt(List::size).sum());
        numbers.put("messages repeated (remaining window)", repeats);
    }

    /**
     * Every poison record is in the dead-letter topic of every service that reads its topic, with the expected
     * reason, and each of those consumers committed past it (nothing behind it waits).
     */
    private void deadLetters(Observed o) {
        Map<String, Integer> matched = new HashMap<>();
        for (PoisonInjector.Poison poison : o.poison()) {
            for (String consumer : poison.consumers()) {
                String dlq = "k0rdent.dlq." + consumer;
                List<DeadLetter> letters = o.topics().deadLetters().stream()
                        .filter(l -> l.dlqTopic().equals(dlq)).map(TopicSnapshot.Letter::letter)
                        .filter(l -> l.originalTopic().equals(poison.topic()) && l.originalPartition() == poison.partition()
                                && l.originalOffset() == poison.offset()).toList();
                String what = poison.kind() + " on " + poison.topic() + "/" + poison.partition() + "@" + poison.offset();
                if (letters.isEmpty()) {
                    violations.add("poison not dead-lettered by " + consumer + ": " + what);
                } else if (letters.stream().noneMatch(l -> l.reason() == poison.expectedReason())) {
                    violations.add("poison dead-lettered by " + consumer + " with reason " + letters.get(0).reason()
                            + ", expected " + poison.expectedReason() + ": " + what);
                }
                if (letters.size() > 1) {
                    notes.add(what + " dead-lettered " + letters.size() + " times by " + consumer
                            + " (a restart before its offset commit)");
                }
                matched.merge(dlq + "/" + poison.topic() + "/" + poison.partition() + "/" + poison.offset(), 1, Integer::sum);
                OffsetAndMetadata committed = o.committedOffsets().getOrDefault("k0rdent-" + consumer, Map.of())
                        .get(new TopicPartition(poison.topic(), poison.partition()));
                if (committed == null || committed.offset() <= poison.offset()) {
                    violations.add("blocked: " + consumer + " has not committed past " + what + " (committed "
                            + (committed == null ? "nothing" : committed.offset()) + ")");
                }
            }
        }
        for (TopicSnapshot.Letter letter : o.topics().deadLetters()) {
            DeadLetter l = letter.letter();
            String key = letter.dlqTopic() + "/" + l.originalTopic() + "/" + l.originalPartition() + "/" + l.originalOffset();
            if (!matched.containsKey(key)) {
                violations.add("unexpected dead letter in " + letter.dlqTopic() + ": " + l.reason() + " from "
                        + l.originalTopic() + "/" + l.originalPartition() + "@" + l.originalOffset() + ": " + l.message());
            }
        }
        numbers.put("poison records", (long) o.poison().size());
        numbers.put("dead letters", (long) o.topics().deadLetters().size());
    }

    private static Map<UUID, ClusterEvent> uniqueEvents(Observed o) {
        Map<UUID, ClusterEvent> events = new LinkedHashMap<>();
        o.topics().events().forEach(e -> events.putIfAbsent(e.header().eventId(), e));
        return events;
    }

    private static Map<String, List<String>> mailIdsByDestination(Path mailDir) throws Exception {
        Map<String, List<String>> ids = new TreeMap<>();
        if (!Files.isDirectory(mailDir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(mailDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".eml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
                    String destination = message.getHeader("X-K0rdent-Destination", null);
                    ids.computeIfAbsent(String.valueOf(destination), d -> new ArrayList<>()).add(message.getMessageID());
                }
            }
        }
        return ids;
    }

    private static String describe(List<Ec2Inventory.Resource> resources) {
        return resources.stream().map(r -> r.kind() + " " + r.id()).collect(Collectors.joining(", "));
    }

}
