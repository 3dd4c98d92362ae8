package io.k0rdent.ops.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own KRaft broker (broker and controller in one node) running in a child JVM of this one,
 * bound to 127.0.0.1 only.
 *
 * <p>The child exits by itself when this JVM dies, however it dies; {@link #close()} and a shutdown hook stop it
 * in the normal case. Its log ({@link #logFile()}) records everything it did, including the topics it created.
 */
public final class KafkaBrokerProcess implements KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    /** Time for Kafka's clean shutdown after SIGTERM, before the process is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 40;

    private final BrokerLaunch launch;
    private final Process process;
    private final String clusterId;
    private final Duration startupTime;
    private final Path ephemeralDataDir;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaBrokerProcess(BrokerLaunch launch, Process process, String clusterId, Duration startupTime,
                               Path ephemeralDataDir) {
        this.launch = launch;
        this.process = process;
        this.clusterId = clusterId;
        this.startupTime = startupTime;
        this.ephemeralDataDir = ephemeralDataDir;
        this.shutdownHook = new Thread(this::stopAndCleanUp, "kafka-broker-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a broker and waits until it answers {@code describeCluster}.
     *
     * @param options ports, directories, heap and timeout ({@link KafkaBrokerOptions#strategy()} is ignored)
     * @return the running broker
     * @throws KafkaBrokerException if it cannot be started; the message includes the tail of its log
     */
    public static KafkaBrokerProcess start(KafkaBrokerOptions options) {
        BrokerLaunch launch = BrokerLaunch.prepare(options);
        Path ephemeralDataDir = options.ephemeralData() ? launch.config().dataDir() : null;
        long begin = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(launch.command())
                    .directory(launch.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
                    .start();
            process.getOutputStream().close(); // the broker reads no input
        } catch (IOException e) {
            throw new KafkaBrokerException("Could not start the Kafka broker JVM: " + launch.command(), e);
        }
        String clusterId;
        try {
            clusterId = BrokerReadiness.await(launch.config().bootstrapServers(), process.onExit(), options.startupTimeout());
        } catch (RuntimeException e) {
            stop(process);
            deleteRecursively(ephemeralDataDir);
            throw new KafkaBrokerException(e.getMessage() + "\nBroker log " + launch.logFile() + ", last lines:\n"
                    + BrokerLog.tail(launch.logFile(), LOG_TAIL_LINES), e);
        }
        Duration startupTime = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("Kafka broker {} ready at {} in {} ms (pid {}, log {})", clusterId,
                launch.config().bootstrapServers(), startupTime.toMillis(), process.pid(), launch.logFile());
        return new KafkaBrokerProcess(launch, process, clusterId, startupTime, ephemeralDataDir);
    }

    @Override
    public String bootstrapServers() {
        return launch.config().bootstrapServers();
    }

    /** @return the KRaft cluster id, stable across restarts on the same data dir */
    public String clusterId() {
        return clusterId;
    }

    /** @return the child JVM, e.g. to check that it is gone after {@link #close()} */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** @return the broker's log file (stdout and stderr of the child, including Kafka's log4j output) */
    public Path logFile() {
        return launch.logFile();
    }

    /** @return the broker's {@code log.dirs} */
    public Path dataDir() {
        return launch.config().dataDir();
    }

    /** @return how long it took from starting the child JVM until it answered {@code describeCluster} */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops the broker (cleanly, then forcibly after a grace period) and deletes an ephemeral data dir. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or will run; stopping twice is harmless
        }
        stopAndCleanUp();
    }

    @Override
    public String toString() {
        return "KafkaBrokerProcess[" + bootstrapServers() + ", pid " + process.pid() + "]";
    }

    private void stopAndCleanUp() {
        if (closed.compareAndSet(false, true)) {
            String peakMemory = peakResidentMemory(process.pid());
            stop(process);
            deleteRecursively(ephemeralDataDir);
            LOG.info("Kafka broker at {} stopped (pid {}, exit code {}, peak RSS {})", bootstrapServers(), process.pid(),
                    process.isAlive() ? "?" : process.exitValue(), peakMemory);
        }
    }

    // Linux only; lets every test run tell how much memory the broker really took.
    private static String peakResidentMemory(long pid) {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> line.substring("VmHWM:".length()).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: Kafka's shutdown hook closes logs and the quorum cleanly
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("Kafka broker (pid {}) did not stop within {}; killing it", process.pid(), STOP_GRACE);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete the Kafka broker's data dir {}: {}", dir, e.toString());
        }
    }
}
