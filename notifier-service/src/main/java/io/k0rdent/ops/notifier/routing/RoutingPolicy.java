package io.k0rdent.ops.notifier.routing;

import java.util.List;

/**
 * All routing configuration in one value.
 *
 * @param rules               every rule; an event goes to the union of the destinations of all rules it matches
 * @param defaultDestinations where an event goes when no rule matches (the default route)
 * @param author              whether the commit author is told as well
 */
public record RoutingPolicy(List<RouteRule> rules, List<String> defaultDestinations, AuthorPolicy author) {

    public RoutingPolicy {
        rules = rules == null ? List.of() : List.copyOf(rules);
        defaultDestinations = defaultDestinations == null ? List.of() : List.copyOf(defaultDestinations);
        author = author == null ? AuthorPolicy.disabled() : author;
    }
}
