package io.k0rdent.ops.faults;

import io.k0rdent.ops.k0ops.up.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A private copy of the services' built classes ({@code <module>/target/classes} and {@code runtime.classpath}),
 * laid out like a checkout, for the sandbox to start the services from. A service restarted after a kill must be the
 * same build as before: on a shared machine another build may rewrite {@code target/classes} in the middle of a run
 * (the second run here lost its provisioner's consumers that way, with half-old, half-new classes).
 */
final class ServiceSnapshot {

    private ServiceSnapshot() {
    }

    /** Copies the four services from {@code checkout} into {@code target}; returns {@code target}. */
    static Path copy(Path checkout, Path target) throws IOException {
        Files.writeString(Files.createDirectories(target).resolve("pom.xml"), "<!-- service snapshot -->\n");
        for (Service service : Service.values()) {
            Path from = checkout.resolve(service.module()).resolve("target");
            Path to = target.resolve(service.module()).resolve("target");
            copyTree(from.resolve("classes"), to.resolve("classes"));
            Files.copy(from.resolve("runtime.classpath"), to.resolve("runtime.classpath"));
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                try {
                    Path dest = to.resolve(from.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(path, dest);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
