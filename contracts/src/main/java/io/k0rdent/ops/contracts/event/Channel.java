package io.k0rdent.ops.contracts.event;

/** A kind of notification destination. */
public enum Channel {
    SLACK,
    EMAIL,
    WEBHOOK
}
