package io.k0rdent.ops.sandbox.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The classpath of the child broker JVM: Apache Kafka's server jars, as recorded by {@code deploy/kafka-runtime}'s
 * build in the resource {@value #RESOURCE}, plus the location of this module's classes (for {@link KafkaBrokerMain}).
 * Kept apart from the test JVM's classpath on purpose: the broker needs its own Jackson and Scala.
 *
 * @param entries jars and directories, in order
 */
record BrokerClasspath(List<Path> entries) {

    static final String RESOURCE = "io/k0rdent/ops/kafka/broker.classpath";
    static final String REBUILD_HINT =
            "Build it on this machine from the repository root: mvn -pl deploy/kafka-runtime install";

    BrokerClasspath {
        entries = List.copyOf(entries);
    }

    /** @return the classpath for this machine, checked to exist */
    static BrokerClasspath load() {
        URL resource = BrokerClasspath.class.getClassLoader().getResource(RESOURCE);
        if (resource == null) {
            throw new KafkaBrokerException("The resource " + RESOURCE + " is not on the classpath, so the Kafka broker's"
                    + " jars are unknown. Depend on io.k0rdent.ops:kafka-runtime (as deploy/testkit does). " + REBUILD_HINT);
        }
        try (InputStream in = resource.openStream()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource.toString(), ownCodeLocation());
        } catch (IOException e) {
            throw new KafkaBrokerException("Could not read " + resource + ". " + REBUILD_HINT, e);
        }
    }

    /**
     * @param content   the resource's content: entries joined by the platform's path separator
     * @param origin    where the content came from, for messages
     * @param ownCode   this module's classes (a jar or a directory), appended last
     * @return the checked classpath
     */
    static BrokerClasspath parse(String content, String origin, Path ownCode) {
        List<Path> entries = new ArrayList<>();
        Arrays.stream(content.strip().split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .forEach(entries::add);
        if (entries.isEmpty()) {
            throw new KafkaBrokerException("The Kafka broker classpath " + origin + " is empty. " + REBUILD_HINT);
        }
        List<Path> missing = entries.stream().filter(path -> !Files.exists(path)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new KafkaBrokerException("The Kafka broker classpath " + origin + " lists " + missing.get(0)
                    + ", which does not exist" + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more missing files)" : "")
                    + ". It was probably built on another machine or against another local Maven repository. "
                    + REBUILD_HINT);
        }
        entries.add(ownCode);
        return new BrokerClasspath(entries);
    }

    /** @return the value for {@code java -cp} */
    String asArgument() {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    // Where KafkaBrokerMain was loaded from: target/classes, the sandbox jar in the reactor, or in ~/.m2.
    private static Path ownCodeLocation() {
        CodeSource source = KafkaBrokerMain.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new KafkaBrokerException("Cannot tell where " + KafkaBrokerMain.class.getName() + " was loaded from");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new KafkaBrokerException("Unusable code location " + source.getLocation(), e);
        }
    }
}
