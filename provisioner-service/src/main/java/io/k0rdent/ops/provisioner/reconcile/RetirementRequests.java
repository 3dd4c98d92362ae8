package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested.RetirementReason;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The provisioner's half of a retirement: asking the bootstrap service to drain nodes marked to retire (scale-in,
 * rolling replacement), and asking again for those still marked and live, whose answer may have been lost.
 */
final class RetirementRequests {

    private final Function<ObservedInstance, ProvisionedNode> nodes;
    private final Clock clock;

    RetirementRequests(Function<ObservedInstance, ProvisionedNode> nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    NodesRetirementRequested request(EventHeader header, String discriminator, List<ObservedInstance> retiring,
                                     RetirementReason reason) {
        return new NodesRetirementRequested(header.causing(discriminator + "/retire/" + reason, clock.instant()),
                retiring.stream().map(nodes).toList(), reason);
    }

    /**
     * Requests again, per reason, the drains of the live nodes marked to retire that {@code asked} does not ask for
     * already and that are {@code due}.
     */
    List<InfrastructureEvent> stillWaiting(EventHeader header, String discriminator, ClusterInventory inventory,
                                           List<InfrastructureEvent> asked, Predicate<ObservedInstance> due) {
        Set<String> askedNow = new HashSet<>();
        asked.stream().filter(NodesRetirementRequested.class::isInstance).map(NodesRetirementRequested.class::cast)
                .forEach(r -> r.nodes().forEach(n -> askedNow.add(n.instanceId())));
        Map<RetirementReason, List<ObservedInstance>> waiting = new LinkedHashMap<>();
        for (ObservedInstance i : inventory.instances()) {
            if (i.retiring() != null && i.isLive() && !askedNow.contains(i.instanceId()) && due.test(i)) {
                waiting.computeIfAbsent(reasonOf(i), r -> new ArrayList<>()).add(i);
            }
        }
        List<InfrastructureEvent> events = new ArrayList<>();
        waiting.forEach((reason, retiring) -> events.add(request(header, discriminator + "/again", retiring, reason)));
        return events;
    }

    /** Marked to retire before {@code overdue}; a node marked by an older version (no time) counts as overdue. */
    static boolean markedBefore(ObservedInstance instance, Instant overdue) {
        String since = instance.tags().get(ClusterTags.RETIRING_SINCE);
        try {
            return since == null || Instant.parse(since).isBefore(overdue);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private static RetirementReason reasonOf(ObservedInstance instance) {
        try {
            return RetirementReason.valueOf(instance.retiring());
        } catch (IllegalArgumentException e) {
            return RetirementReason.SCALE_IN;
        }
    }
}
