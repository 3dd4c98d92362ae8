package io.k0rdent.ops.sandbox.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How to obtain a Kafka broker. Immutable; start from {@link #forTests()} or {@link #persistent(Path)} and
 * adjust with the {@code with…} methods.
 *
 * @param strategy            which kind of broker to use; {@link Strategy#AUTO} picks the first that applies
 * @param workDir             directory of the child-JVM broker's {@code server.properties},
 *                            {@code log4j.properties} and {@code broker.log}
 * @param dataDir             the broker's {@code log.dirs}; {@code null} means an ephemeral {@code workDir/data}
 *                            that is deleted on close. An existing, formatted data dir is resumed, not reformatted.
 * @param port                PLAINTEXT port on 127.0.0.1; 0 picks a free one
 * @param controllerPort      KRaft CONTROLLER port on 127.0.0.1; 0 picks a free one
 * @param defaultPartitions   {@code num.partitions}, only used by topics created without a partition count
 * @param startupTimeout      how long to wait until the broker answers {@code describeCluster}
 * @param maxHeap             {@code -Xmx} of the child JVM, e.g. {@code 384m}
 * @param testcontainersImage image for {@link Strategy#TESTCONTAINERS}
 */
public record KafkaBrokerOptions(
        Strategy strategy,
        Path workDir,
        Path dataDir,
        int port,
        int controllerPort,
        int defaultPartitions,
        Duration startupTimeout,
        String maxHeap,
        String testcontainersImage) {

    /** Kafka version of the child-JVM broker (see {@code deploy/kafka-runtime}) and of the default image. */
    public static final String KAFKA_VERSION = "3.9.1";

    /** System property that forces a {@link Strategy} for {@link #forTests()}, e.g. {@code -Dk0ops.kafka.strategy=embedded}. */
    public static final String STRATEGY_PROPERTY = "k0ops.kafka.strategy";
    /** Environment variable with the same meaning as {@link #STRATEGY_PROPERTY}. */
    public static final String STRATEGY_ENV = "K0OPS_KAFKA_STRATEGY";
    /** System property overriding the base directory of test brokers' work dirs (default {@code target/kafka-broker}). */
    public static final String WORK_DIR_PROPERTY = "k0ops.kafka.work-dir";

    /** Which kind of broker {@link KafkaBrokers#start(KafkaBrokerOptions)} provides. */
    public enum Strategy {
        /** External cluster if configured, else Testcontainers if a Docker engine answers, else {@link #EMBEDDED}. */
        AUTO,
        /** The cluster named by {@code KAFKA_BOOTSTRAP_SERVERS} / {@code -Dkafka.bootstrap.servers}. */
        EXTERNAL,
        /** Testcontainers' Kafka module with the {@code apache/kafka} image. */
        TESTCONTAINERS,
        /** Apache Kafka's own KRaft broker in a child JVM of this one. */
        EMBEDDED
    }

    /**
     * Validates the options.
     *
     * @param strategy            see the record description
     * @param workDir             see the record description
     * @param dataDir             see the record description
     * @param port                see the record description
     * @param controllerPort      see the record description
     * @param defaultPartitions   see the record description
     * @param startupTimeout      see the record description
     * @param maxHeap             see the record description
     * @param testcontainersImage see the record description
     */
    public KafkaBrokerOptions {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(maxHeap, "maxHeap");
        Objects.requireNonNull(testcontainersImage, "testcontainersImage");
        requirePort(port, "port");
        requirePort(controllerPort, "controllerPort");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
        }
        if (!maxHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("maxHeap must look like 384m, was " + maxHeap);
        }
    }

    /**
     * Options for a throwaway broker whose files live in {@code workDir}; strategy {@link Strategy#AUTO},
     * free ports, one partition per topic by default, 60 s startup timeout, 384 MB heap.
     *
     * @param workDir where the broker's configuration, log and (ephemeral) data go
     * @return the options
     */
    public static KafkaBrokerOptions defaults(Path workDir) {
        return new KafkaBrokerOptions(Strategy.AUTO, workDir, null, 0, 0, 1, Duration.ofSeconds(60), "384m",
                "apache/kafka:" + KAFKA_VERSION);
    }

    /**
     * Options for integration tests: {@link #defaults(Path)} with a fresh work dir under the module's
     * {@code target/kafka-broker/} (so the broker log is kept next to the test reports), and the strategy
     * taken from {@code -Dk0ops.kafka.strategy} or {@code K0OPS_KAFKA_STRATEGY} when set.
     *
     * @return the options
     */
    public static KafkaBrokerOptions forTests() {
        return forTests(System.getenv(), System.getProperties(), Path.of("").toAbsolutePath());
    }

    static KafkaBrokerOptions forTests(Map<String, String> env, Properties systemProperties, Path currentDir) {
        String configuredBase = systemProperties.getProperty(WORK_DIR_PROPERTY);
        Path base;
        if (configuredBase != null && !configuredBase.isBlank()) {
            base = Path.of(configuredBase);
        } else if (Files.isDirectory(currentDir.resolve("target"))) {
            base = currentDir.resolve("target").resolve("kafka-broker");
        } else {
            base = Path.of(System.getProperty("java.io.tmpdir"), "k0ops-kafka-broker");
        }
        String strategy = systemProperties.getProperty(STRATEGY_PROPERTY, env.get(STRATEGY_ENV));
        KafkaBrokerOptions options = defaults(base.resolve(uniqueRunId()));
        return strategy == null || strategy.isBlank() ? options : options.withStrategy(parseStrategy(strategy));
    }

    /**
     * Options for a long-lived local broker such as the sandbox's ({@code k0ops up}): always a child JVM,
     * files in {@code dir}, data in {@code dir/data}, which a later start resumes.
     *
     * @param dir e.g. {@code ./.k0ops/kafka}
     * @return the options
     */
    public static KafkaBrokerOptions persistent(Path dir) {
        return defaults(dir).withStrategy(Strategy.EMBEDDED).withDataDir(dir.resolve("data"));
    }

    /** @return whether the data dir is ephemeral, i.e. created for this broker and deleted when it closes */
    public boolean ephemeralData() {
        return dataDir == null;
    }

    /** @return the directory used as {@code log.dirs} */
    public Path effectiveDataDir() {
        return dataDir != null ? dataDir : workDir.resolve("data");
    }

    /**
     * Returns a copy with another value.
     *
     * @param value the strategy
     * @return a copy with it
     */
    public KafkaBrokerOptions withStrategy(Strategy value) {
        return new KafkaBrokerOptions(value, workDir, dataDir, port, controllerPort, defaultPartitions,
                startupTimeout, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value the work dir
     * @return a copy with it
     */
    public KafkaBrokerOptions withWorkDir(Path value) {
        return new KafkaBrokerOptions(strategy, value, dataDir, port, controllerPort, defaultPartitions,
                startupTimeout, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value a persistent data dir, or {@code null} for an ephemeral one
     * @return a copy with it
     */
    public KafkaBrokerOptions withDataDir(Path value) {
        return new KafkaBrokerOptions(strategy, workDir, value, port, controllerPort, defaultPartitions,
                startupTimeout, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value the PLAINTEXT port, 0 for a free one
     * @return a copy with it
     */
    public KafkaBrokerOptions withPort(int value) {
        return new KafkaBrokerOptions(strategy, workDir, dataDir, value, controllerPort, defaultPartitions,
                startupTimeout, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value the CONTROLLER port, 0 for a free one
     * @return a copy with it
     */
    public KafkaBrokerOptions withControllerPort(int value) {
        return new KafkaBrokerOptions(strategy, workDir, dataDir, port, value, defaultPartitions,
                startupTimeout, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value {@code num.partitions}
     * @return a copy with it
     */
    public KafkaBrokerOptions withDefaultPartitions(int value) {
        return new KafkaBrokerOptions(strategy, workDir, dataDir, port, controllerPort, value,
                startupTimeout, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value the startup timeout
     * @return a copy with it
     */
    public KafkaBrokerOptions withStartupTimeout(Duration value) {
        return new KafkaBrokerOptions(strategy, workDir, dataDir, port, controllerPort, defaultPartitions,
                value, maxHeap, testcontainersImage);
    }

    /**
     * Returns a copy with another value.
     *
     * @param value the child JVM's {@code -Xmx}, e.g. {@code 512m}
     * @return a copy with it
     */
    public KafkaBrokerOptions withMaxHeap(String value) {
        return new KafkaBrokerOptions(strategy, workDir, dataDir, port, controllerPort, defaultPartitions,
                startupTimeout, value, testcontainersImage);
    }

    static Strategy parseStrategy(String value) {
        try {
            return Strategy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown Kafka broker strategy '" + value + "'; use one of "
                    + Arrays.toString(Strategy.values()), e);
        }
    }

    private static void requirePort(int value, String name) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (pick a free one) or a TCP port, was " + value);
        }
    }

    // Timestamp for humans browsing target/kafka-broker, pid and a random part so that brokers started by
    // parallel test JVMs (or twice in one) never share a directory.
    private static String uniqueRunId() {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        return time + "-pid" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }
}
