package io.k0rdent.ops.notifier.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A routing rule: events that match every given criterion go to {@link #destinations()}. An empty
 * criterion matches everything.
 *
 * @param name         for logs
 * @param types        event type names: a {@code ce_type}, a short name like {@code bootstrap.failed}, or a
 *                     family like {@code bootstrap} (see {@link EventClass#names()})
 * @param severities   severities the rule accepts
 * @param labels       cluster label → accepted values; {@code *} accepts any value as long as the label is set
 * @param destinations destination names
 * @param keepDefault  a match does not replace the default route: for destinations that are told in addition to
 *                     whoever else hears of an event (commit statuses), so a catch-all rule for them does not
 *                     silence the default destinations
 */
public record RouteRule(String name, Set<String> types, Set<Severity> severities, Map<String, Set<String>> labels,
                        List<String> destinations, boolean keepDefault) {

    public RouteRule(String name, Set<String> types, Set<Severity> severities, Map<String, Set<String>> labels,
                     List<String> destinations) {
        this(name, types, severities, labels, destinations, false);
    }

    public RouteRule {
        types = types == null ? Set.of() : Set.copyOf(types);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
    }

    /** Whether the rule selects an event of class {@code eventClass} on a cluster with {@code clusterLabels}. */
    public boolean matches(EventClass eventClass, Map<String, String> clusterLabels) {
        if (!types.isEmpty() && types.stream().noneMatch(eventClass::isNamed)) {
            return false;
        }
        if (!severities.isEmpty() && !severities.contains(eventClass.severity())) {
            return false;
        }
        for (Map.Entry<String, Set<String>> wanted : labels.entrySet()) {
            String actual = clusterLabels.get(wanted.getKey());
            if (actual == null) {
                return false;
            }
            if (!wanted.getValue().contains("*") && !wanted.getValue().contains(actual)) {
                return false;
            }
        }
        return true;
    }
}
