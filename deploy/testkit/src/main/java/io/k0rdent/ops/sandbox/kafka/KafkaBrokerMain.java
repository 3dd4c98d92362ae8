package io.k0rdent.ops.sandbox.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the child broker JVM started by {@link KafkaBrokerProcess}; not meant to be called in a test JVM.
 * Arguments: {@code <server.properties> <cluster-id>}.
 *
 * <p>It formats the KRaft storage when the data dir has no {@code meta.properties} yet, then runs
 * {@code kafka.Kafka}, and it exits as soon as the JVM that started it is gone, so a killed test run never
 * leaves a broker behind. Kafka's classes are reached by reflection because this module is compiled
 * against the Kafka client only; they are on the child's classpath (see {@link BrokerClasspath}).
 */
public final class KafkaBrokerMain {

    /** How long Kafka's own shutdown may take once the parent is gone, before the JVM is halted. */
    private static final long ORPHAN_SHUTDOWN_GRACE_SECONDS = 30;

    private KafkaBrokerMain() {
    }

    /**
     * @param args {@code <server.properties> <cluster-id>}
     * @throws Exception when Kafka cannot be started
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.out.println("usage: " + KafkaBrokerMain.class.getName() + " <server.properties> <cluster-id>");
            System.exit(2);
        }
        Path serverProperties = Path.of(args[0]);
        exitWhenParentExits();

        Path dataDir = Path.of(load(serverProperties).getProperty("log.dirs"));
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            say("storage in " + dataDir + " is already formatted; resuming it");
        } else {
            format(serverProperties, args[1]);
        }
        say("starting kafka.Kafka with " + serverProperties);
        callStatic("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {serverProperties.toString()});
    }

    private static void exitWhenParentExits() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty() || !parent.get().isAlive()) {
            say("the JVM that started this broker is already gone; not starting");
            System.exit(3);
        }
        long parentPid = parent.get().pid();
        parent.get().onExit().thenRun(() -> {
            say("the JVM that started this broker (pid " + parentPid + ") is gone; shutting down");
            // Kafka's shutdown hook stops the broker cleanly; should it hang, don't outlive the grace period.
            CompletableFuture.delayedExecutor(ORPHAN_SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)
                    .execute(() -> Runtime.getRuntime().halt(4));
            System.exit(0);
        });
    }

    // StorageTool.execute, unlike StorageTool.main, returns an exit code instead of calling System.exit.
    // Its output goes to our stdout, which is the broker log.
    private static void format(Path serverProperties, String clusterId) throws Exception {
        say("formatting storage with cluster id " + clusterId);
        String[] formatArgs = {"format", "--config", serverProperties.toString(), "--cluster-id", clusterId};
        int exitCode;
        try {
            exitCode = (Integer) callStatic("kafka.tools.StorageTool", "execute",
                    new Class<?>[] {String[].class, PrintStream.class}, formatArgs, System.out);
        } catch (InvocationTargetException e) {
            say("formatting storage failed");
            e.getCause().printStackTrace(System.out);
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.out.flush();
            System.exit(10 + exitCode);
        }
    }

    private static Object callStatic(String className, String method, Class<?>[] types, Object... args)
            throws ReflectiveOperationException {
        Method target = Class.forName(className).getMethod(method, types);
        return target.invoke(null, args);
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    private static void say(String message) {
        System.out.println("[" + Instant.now() + "] INFO [k0ops] " + message + " (" + KafkaBrokerMain.class.getName() + ")");
    }
}
