package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something AWS does in the background and offers no SDK waiter for (a NAT gateway's deletion, a deleted
 * load balancer releasing its interfaces): polled at the waiters' interval, at most as often as the waiters may
 * ({@code waiter-poll-interval}, {@code waiter-max-attempts}). Running out is a retryable {@code TIMEOUT}.
 */
public final class Polling {

    private Polling() {
    }

    public static void until(ProvisionerProperties properties, String resource, String stillWhat,
                             BooleanSupplier done) {
        until(properties.waiterPollInterval(), properties.waiterMaxAttempts(), resource, stillWhat, done);
    }

    /** Polls {@code done} up to {@code maxAttempts} times, {@code pollInterval} apart. */
    public static void until(Duration pollInterval, int maxAttempts, String resource, String stillWhat,
                             BooleanSupplier done) {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Ec2Failure(FailureReason.TIMEOUT, null, resource, "interrupted", true, e);
            }
        }
        throw new Ec2Failure(FailureReason.TIMEOUT, null, resource, stillWhat + " after "
                + maxAttempts + " polls", true, null);
    }
}
