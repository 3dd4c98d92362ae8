package io.k0rdent.ops.notifier.delivery;

/** Told by a {@link DestinationWorker} how each delivery ended. Called on the worker's thread. */
public interface DeliveryListener {

    void delivered(Delivery delivery);

    /**
     * @param reason    why, without secrets
     * @param permanent {@code true} when the destination rejected the message; {@code false} when retries ran out
     */
    void failed(Delivery delivery, String reason, boolean permanent);
}
