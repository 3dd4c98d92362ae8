package io.k0rdent.ops.contracts.event;

/** The audit trail of notifications. Produced by the notifier on {@code k0rdent.cluster.notifications}. */
public sealed interface NotificationEvent extends ClusterEvent permits NotificationSent, NotificationFailed {
}
