package io.k0rdent.ops.notifier.routing;

import java.util.Objects;

/**
 * One destination an event must reach.
 *
 * @param destination the configured destination's name; what events and logs show
 * @param recipient   an address only this route has (the commit author's e-mail), or {@code null}
 *                    when the destination's own configured recipients apply
 * @param rule        the rule that selected the destination, for logs
 */
public record Route(String destination, String recipient, String rule) {

    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(rule, "rule");
    }
}
