package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmLauncherTest {

    /**
     * Fault run 29: services starting together rewrote the launcher's class file while a child JVM read it. Whatever
     * a reader sees while starts keep installing it must be the whole class file.
     */
    @Test
    void aChildStartingWhileOthersInstallTheLauncherReadsTheWholeClassFile(@TempDir Path dir) throws Exception {
        String resource = ParentWatchingMain.class.getName().replace('.', '/') + ".class";
        byte[] expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            expected = in.readAllBytes();
        }
        Path classFile = ChildJvm.installLauncher(dir).resolve(resource);
        AtomicBoolean installing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> installers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                installers.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        ChildJvm.installLauncher(dir);
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (installing.get()) {
                    byte[] read = Files.readAllBytes(classFile);
                    assertThat(Arrays.equals(read, expected))
                            .as("read %d: %d bytes of the %d of the class file", reads, read.length, expected.length)
                            .isTrue();
                    reads++;
                }
                return reads;
            });
            for (Future<?> installer : installers) {
                installer.get();
            }
            installing.set(false);
            assertThat(reader.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        try (var files = Files.list(classFile.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary copies left").containsExactly("ParentWatchingMain.class");
        }
    }
}
