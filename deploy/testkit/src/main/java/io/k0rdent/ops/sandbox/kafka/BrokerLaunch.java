package io.k0rdent.ops.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * Everything prepared for starting a child broker JVM: ports chosen, {@code server.properties} and
 * {@code log4j.properties} written, command line built. Starting the process is left to the caller.
 *
 * @param config   the broker configuration (ports, data dir)
 * @param command  the child JVM's command line
 * @param workDir  working directory of the child; holds configuration files and the log
 * @param logFile  where the child's stdout and stderr go
 */
record BrokerLaunch(BrokerConfig config, List<String> command, Path workDir, Path logFile) {

    BrokerLaunch {
        command = List.copyOf(command);
    }

    /**
     * @param options the broker options (strategy is not looked at)
     * @return the prepared launch
     * @throws KafkaBrokerException if the broker's jars are missing on this machine
     */
    static BrokerLaunch prepare(KafkaBrokerOptions options) {
        // First, so a classpath built on another machine fails before anything is written.
        BrokerClasspath classpath = BrokerClasspath.load();
        Path workDir = options.workDir().toAbsolutePath();
        Path dataDir = options.effectiveDataDir().toAbsolutePath();
        int port = options.port() != 0 ? options.port() : FreePorts.pick(options.controllerPort());
        int controllerPort = options.controllerPort() != 0 ? options.controllerPort() : FreePorts.pick(port);
        BrokerConfig config = new BrokerConfig(port, controllerPort, dataDir, options.defaultPartitions());
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(dataDir);
            Path serverProperties = write(workDir.resolve("server.properties"), config.render());
            Path log4jProperties = write(workDir.resolve("log4j.properties"), BrokerLog.log4jProperties());
            BrokerCommand command = new BrokerCommand(BrokerCommand.currentJava(), options.maxHeap(), log4jProperties,
                    classpath, serverProperties, Uuid.randomUuid().toString());
            return new BrokerLaunch(config, command.toList(), workDir, workDir.resolve("broker.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Kafka broker's files in " + workDir, e);
        }
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
