package io.k0rdent.ops.notifier.routing;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.event.NotificationEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides who hears about an event: the destinations of every matching rule, and the default route
 * when none matches (rules with {@code keep-default} do not count), plus the commit author when the
 * {@link AuthorPolicy} allows it.
 *
 * <p>A plain class: every rule can be tried from a unit test with a hand-made event.
 */
public final class NotificationRouter {

    private final RoutingPolicy policy;

    /**
     * @param policy            the rules
     * @param knownDestinations every configured destination name; a rule naming another one is a
     *                          configuration error found at start rather than at the first matching event
     */
    public NotificationRouter(RoutingPolicy policy, Set<String> knownDestinations) {
        this.policy = policy;
        List<String> unknown = new ArrayList<>();
        policy.rules().forEach(rule -> rule.destinations().stream()
                .filter(d -> !knownDestinations.contains(d)).forEach(d -> unknown.add(rule.name() + " → " + d)));
        policy.defaultDestinations().stream().filter(d -> !knownDestinations.contains(d))
                .forEach(d -> unknown.add("default → " + d));
        if (policy.author().enabled() && !knownDestinations.contains(policy.author().destination())) {
            unknown.add("author → " + policy.author().destination());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("routes name unknown destinations: " + unknown);
        }
    }

    /** The destinations for {@code event}, each once, in rule order; empty for the notifier's own events. */
    public List<Route> route(ClusterEvent event) {
        if (event instanceof NotificationEvent) {
            return List.of();
        }
        EventClass eventClass = EventClass.of(event);
        Map<String, String> labels = event.header().labels();
        Map<String, Route> routes = new LinkedHashMap<>();
        boolean replacesDefault = false;
        for (RouteRule rule : policy.rules()) {
            if (rule.matches(eventClass, labels)) {
                rule.destinations().forEach(d -> routes.putIfAbsent(d, new Route(d, null, rule.name())));
                replacesDefault |= !rule.keepDefault();
            }
        }
        if (!replacesDefault) {
            policy.defaultDestinations().forEach(d -> routes.putIfAbsent(d, new Route(d, null, "default")));
        }
        Initiator initiator = event.header().initiator();
        AuthorPolicy author = policy.author();
        if (initiator != null && author.accepts(initiator.email())) {
            // putIfAbsent: if a rule already routes to the author destination it keeps its own recipients.
            routes.putIfAbsent(author.destination(), new Route(author.destination(), initiator.email(), "author"));
        }
        return List.copyOf(routes.values());
    }
}
