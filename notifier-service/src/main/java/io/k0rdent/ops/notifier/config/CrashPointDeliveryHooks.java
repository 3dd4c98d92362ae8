package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For fault testing only, never set in production: halts the process (like {@code kill -9}) at a dangerous moment,
 * chosen by {@code k0rdent.fault-injection.crash-point}:
 * <ul>
 *   <li>{@code after-recorded}: the {@code crash-after}-th delivery was sent and its ledger transaction committed,
 *       before its records are settled and their offsets committed;</li>
 *   <li>{@code before-offset-commit}: the {@code crash-after}-th time offsets are about to be committed.</li>
 * </ul>
 * The fault suite ({@code deploy/faults}) restarts the service and checks that no message was sent twice.
 */
@Singleton
@Replaces(NoDeliveryHooks.class)
@Requires(property = CrashPointDeliveryHooks.PROPERTY, pattern = "after-recorded|before-offset-commit")
public class CrashPointDeliveryHooks implements DeliveryHooks {

    public static final String PROPERTY = "k0rdent.fault-injection.crash-point";
    private static final Logger LOG = LoggerFactory.getLogger(CrashPointDeliveryHooks.class);

    private final String point;
    private final int crashAfter;
    private final AtomicInteger reached = new AtomicInteger();

    public CrashPointDeliveryHooks(@Value("${" + PROPERTY + "}") String point,
                                   @Value("${k0rdent.fault-injection.crash-after:1}") int crashAfter) {
        this.point = point;
        this.crashAfter = crashAfter;
    }

    @Override
    public void afterRecorded(Delivery delivery, boolean delivered) {
        if ("after-recorded".equals(point) && delivered && reached.incrementAndGet() == crashAfter) {
            LOG.warn("Fault injection: halting after recording a delivery to {}, before the offset commit",
                    delivery.destination());
            Runtime.getRuntime().halt(137);
        }
    }

    @Override
    public boolean beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if ("before-offset-commit".equals(point) && !offsets.isEmpty() && reached.incrementAndGet() == crashAfter) {
            LOG.warn("Fault injection: halting before committing offsets {}", offsets);
            Runtime.getRuntime().halt(137);
        }
        return true;
    }
}
