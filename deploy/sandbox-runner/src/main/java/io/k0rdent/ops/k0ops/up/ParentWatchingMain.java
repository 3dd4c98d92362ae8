package io.k0rdent.ops.k0ops.up;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of every service child JVM that {@code k0ops up} starts: it exits as soon as the JVM that
 * started it is gone, then runs the service's own {@code main}. The services know nothing of the sandbox,
 * so without this a killed {@code k0ops up} would leave four services running.
 *
 * <p>Uses nothing but the JDK: {@link ChildJvm} copies this one class next to the service's classpath.
 * Arguments: {@code <service main class> [its arguments...]}.
 */
public final class ParentWatchingMain {

    /** How long the service's own shutdown may take once the parent is gone, before the JVM is halted. */
    private static final long ORPHAN_SHUTDOWN_GRACE_SECONDS = 20;

    private ParentWatchingMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: " + ParentWatchingMain.class.getName() + " <main class> [args...]");
            System.exit(2);
        }
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("k0ops: the process that started this service is already gone; not starting");
            System.exit(3);
        }
        long parentPid = parent.get().pid();
        parent.get().onExit().thenRun(() -> {
            System.err.println("k0ops: the process that started this service (pid " + parentPid + ") is gone; stopping");
            // The service's shutdown hooks stop it cleanly; should they hang, don't outlive the grace period.
            CompletableFuture.delayedExecutor(ORPHAN_SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)
                    .execute(() -> Runtime.getRuntime().halt(4));
            System.exit(0);
        });
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e; // the service's own failure, unwrapped
        }
    }
}
