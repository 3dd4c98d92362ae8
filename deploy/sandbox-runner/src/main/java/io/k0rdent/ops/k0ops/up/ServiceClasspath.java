package io.k0rdent.ops.k0ops.up;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a service's runtime classpath in this checkout: {@code <module>/target/classes} followed by the
 * entries of {@code <module>/target/runtime.classpath}, which the module's build writes at
 * {@code prepare-package}.
 */
public final class ServiceClasspath {

    /** What a new checkout needs before {@code k0ops up} can start the services. */
    public static final String BUILD_COMMAND = "./mvnw -q -B install -DskipTests";

    private ServiceClasspath() {
    }

    /** Whether the module was built far enough to be started. */
    public static boolean isBuilt(Path repositoryRoot, String module) {
        Path target = repositoryRoot.resolve(module).resolve("target");
        return Files.isDirectory(target.resolve("classes")) && Files.isRegularFile(target.resolve("runtime.classpath"));
    }

    /**
     * @throws IllegalStateException naming the command to run when the module has not been built
     */
    public static List<Path> of(Path repositoryRoot, String module) throws IOException {
        if (!isBuilt(repositoryRoot, module)) {
            throw new IllegalStateException(module + " is not built; run " + BUILD_COMMAND + " in " + repositoryRoot);
        }
        Path target = repositoryRoot.resolve(module).resolve("target");
        List<Path> classpath = new ArrayList<>();
        classpath.add(target.resolve("classes"));
        String entries = Files.readString(target.resolve("runtime.classpath"), StandardCharsets.UTF_8).strip();
        for (String entry : entries.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                classpath.add(Path.of(entry));
            }
        }
        return classpath;
    }

    /**
     * The checkout {@code k0ops} runs from: the nearest directory above this class's location (its jar or
     * {@code target/classes}) that has the services' modules; failing that (this jar came from a Maven repository,
     * as in {@code ./mvnw -pl system-tests verify}), the nearest such directory above the working directory.
     */
    public static Optional<Path> repositoryRoot() {
        try {
            Path location = Path.of(ServiceClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Optional<Path> root = checkoutAbove(location);
            if (root.isPresent()) {
                return root;
            }
        } catch (Exception e) {
            // Not from a checkout (e.g. an unusual class loader): try the working directory.
        }
        // Neither: the caller asks for --repository-root.
        return checkoutAbove(Path.of(""));
    }

    private static Optional<Path> checkoutAbove(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("gitwatcher-service"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
