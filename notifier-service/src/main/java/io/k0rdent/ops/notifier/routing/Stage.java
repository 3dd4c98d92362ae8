package io.k0rdent.ops.notifier.routing;

import java.util.Locale;

/**
 * The lifecycle stage an event belongs to, in the order a cluster passes through them. The order
 * matters: a success at a later stage also proves that an earlier failure is over.
 */
public enum Stage {
    VALIDATION,
    PROVISIONING,
    BOOTSTRAP;

    /** The stage as people read it, e.g. {@code bootstrap}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
