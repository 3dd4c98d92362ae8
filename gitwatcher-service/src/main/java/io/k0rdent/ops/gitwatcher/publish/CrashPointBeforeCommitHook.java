package io.k0rdent.ops.gitwatcher.publish;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For fault testing only, never set in production: with {@code k0rdent.fault-injection.crash-point=before-commit},
 * the process halts (like {@code kill -9}) on the {@code crash-after}-th transaction, after its events and watermark
 * were sent and before {@code commitTransaction()}. The restarted gitwatcher must fence the open transaction and
 * publish the same events again, once ({@code deploy/faults} checks it from the outside).
 */
@Singleton
@Replaces(NoBeforeCommitHook.class)
@Requires(property = CrashPointBeforeCommitHook.PROPERTY, value = "before-commit")
public class CrashPointBeforeCommitHook implements BeforeCommitHook {

    public static final String PROPERTY = "k0rdent.fault-injection.crash-point";
    private static final Logger LOG = LoggerFactory.getLogger(CrashPointBeforeCommitHook.class);

    private final int crashAfter;
    private final AtomicInteger reached = new AtomicInteger();

    public CrashPointBeforeCommitHook(@Value("${k0rdent.fault-injection.crash-after:1}") int crashAfter) {
        this.crashAfter = crashAfter;
    }

    @Override
    public void beforeCommit(String transactionalId, int records) {
        if (reached.incrementAndGet() == crashAfter) {
            LOG.warn("Fault injection: halting before committing transaction {} ({} records)", transactionalId, records);
            Runtime.getRuntime().halt(137);
        }
    }
}
