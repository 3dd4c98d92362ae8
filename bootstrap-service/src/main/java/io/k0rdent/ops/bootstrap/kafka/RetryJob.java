package io.k0rdent.ops.bootstrap.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** Looks for due automatic retries ({@link InfrastructureEventHandler#retryDue}) every check interval. */
@Singleton
@Requires(property = "k0rdent.bootstrap.failure-retry.enabled", notEquals = "false")
public class RetryJob {

    private final InfrastructureEventHandler handler;

    public RetryJob(InfrastructureEventHandler handler) {
        this.handler = handler;
    }

    @Scheduled(fixedDelay = "${k0rdent.bootstrap.failure-retry.check-interval:5s}",
            initialDelay = "${k0rdent.bootstrap.failure-retry.check-interval:5s}")
    public void run() {
        handler.retryDue();
    }
}
