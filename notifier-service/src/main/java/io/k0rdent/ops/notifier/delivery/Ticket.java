package io.k0rdent.ops.notifier.delivery;

/** Called once when a piece of work is finished for good (delivered, failed permanently, or not needed). */
@FunctionalInterface
public interface Ticket {

    void settle();
}
