package io.k0rdent.ops.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root, so tests work from the module directory and from the root alike. */
public final class RepositoryRoot {

    private RepositoryRoot() {
    }

    /** The nearest directory, from the working directory upwards, that holds {@code deploy/kubernetes}. */
    public static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy/kubernetes")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no repository root (a directory with deploy/kubernetes) above " + dir);
    }
}
