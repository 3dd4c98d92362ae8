package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.StageTimer;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Supplier;

/** The listeners' work for one event: a reconcile stage, timed and traced, then the events it answers published. */
@Singleton
public class ReconcileStages {

    private final EventPublisher publisher;
    private final EventTelemetry telemetry;

    public ReconcileStages(EventPublisher publisher, EventTelemetry telemetry) {
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    /**
     * Runs one stage ({@code provision}, {@code destroy}) in a span of that name and times it, the outcome a failure
     * when the work throws or answers {@code ProvisioningFailed}; then publishes the events it answers, returning once
     * the broker has them.
     */
    public void runAndPublish(String stage, Supplier<List<? extends ClusterEvent>> work) {
        publisher.publish(timed(stage, work));
    }

    private List<? extends ClusterEvent> timed(String stage, Supplier<List<? extends ClusterEvent>> work) {
        StageTimer timer = telemetry.stage(stage);
        boolean success = false;
        try {
            List<? extends ClusterEvent> events = telemetry.inSpan(stage, work);
            success = events.stream().noneMatch(ProvisioningFailed.class::isInstance);
            return events;
        } finally {
            timer.record(success);
        }
    }
}
