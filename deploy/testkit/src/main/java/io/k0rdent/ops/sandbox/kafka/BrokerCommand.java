package io.k0rdent.ops.sandbox.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line of the child broker JVM.
 *
 * @param java             the {@code java} executable
 * @param maxHeap          {@code -Xmx} value
 * @param log4jConfig      the reload4j configuration file
 * @param classpath        Kafka's server jars plus our own classes
 * @param serverProperties the broker configuration
 * @param clusterId        cluster id used if the data dir still needs formatting
 */
record BrokerCommand(Path java, String maxHeap, Path log4jConfig, BrokerClasspath classpath, Path serverProperties,
                     String clusterId) {

    /** @return the arguments for {@link ProcessBuilder} */
    List<String> toList() {
        return List.of(
                java.toString(),
                // A broker for a handful of test topics: small heap, one GC thread, quick C1-only JIT.
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j.configuration=" + log4jConfig.toUri(),
                "-cp", classpath.asArgument(),
                KafkaBrokerMain.class.getName(),
                serverProperties.toString(),
                clusterId);
    }

    /** @return the {@code java} of the running JVM, so the broker runs on the same, known-good runtime */
    static Path currentJava() {
        String executable = System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java";
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", executable);
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new KafkaBrokerException("Cannot find the java executable of this JVM"));
    }
}
