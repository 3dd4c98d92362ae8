package io.k0rdent.ops.provisioner.reconcile;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For fault testing only, never set in production: with {@code k0rdent.fault-injection.crash-point=after-launch},
 * the process halts (like {@code kill -9}: no shutdown hooks, no flush, no offset commit) right after the
 * {@code crash-after}-th RunInstances of its life returned and before the event reporting it is produced. That is the
 * window the deterministic ClientToken has to close; the fault suite ({@code deploy/faults}) restarts the service and
 * checks that no node slot is launched twice.
 */
@Singleton
@Replaces(NoReconcileHooks.class)
@Requires(property = CrashPointReconcileHooks.PROPERTY, value = "after-launch")
public class CrashPointReconcileHooks implements ReconcileHooks {

    public static final String PROPERTY = "k0rdent.fault-injection.crash-point";
    private static final Logger LOG = LoggerFactory.getLogger(CrashPointReconcileHooks.class);

    private final int crashAfter;
    private final AtomicInteger reached = new AtomicInteger();

    public CrashPointReconcileHooks(@Value("${k0rdent.fault-injection.crash-after:1}") int crashAfter) {
        this.crashAfter = crashAfter;
    }

    @Override
    public void afterLaunch(String cluster, List<String> instanceIds) {
        if (reached.incrementAndGet() == crashAfter) {
            LOG.warn("Fault injection: halting after RunInstances for {} ({}), before its event", cluster, instanceIds);
            Runtime.getRuntime().halt(137);
        }
    }
}
