package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.support.fault.CrashPoint;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * For fault testing only, never set in production: halts the process (like {@code kill -9}) at a dangerous moment,
 * chosen by {@code k0rdent.fault-injection.crash-point} ({@link CrashPoints}):
 * <ul>
 *   <li>{@code after-recorded}: the {@code crash-after}-th delivery was sent and its ledger transaction committed,
 *       before its records are settled and their offsets committed;</li>
 *   <li>{@code before-offset-commit}: the {@code crash-after}-th time offsets are about to be committed.</li>
 * </ul>
 * The fault suite ({@code deploy/faults}) restarts the service and checks that no message was sent twice.
 */
@Singleton
@Replaces(NoDeliveryHooks.class)
@Requires(property = CrashPoints.PROPERTY, pattern = "after-recorded|before-offset-commit")
public class CrashPointDeliveryHooks implements DeliveryHooks {

    private final CrashPoints crashPoints;

    public CrashPointDeliveryHooks(CrashPoints crashPoints) {
        this.crashPoints = crashPoints;
    }

    @Override
    public void afterRecorded(Delivery delivery, boolean delivered) {
        if (delivered) {
            crashPoints.reach(CrashPoint.AFTER_RECORDED, () -> "after recording a delivery to "
                    + delivery.destination() + ", before the offset commit");
        }
    }

    @Override
    public boolean beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!offsets.isEmpty()) {
            crashPoints.reach(CrashPoint.BEFORE_OFFSET_COMMIT, () -> "before committing offsets " + offsets);
        }
        return true;
    }
}
