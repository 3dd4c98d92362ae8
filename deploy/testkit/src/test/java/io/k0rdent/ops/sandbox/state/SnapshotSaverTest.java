package io.k0rdent.ops.sandbox.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSaverTest {

    record Sample(int version, String name, Map<String, String> tags, List<String> items) {
    }

    @TempDir
    Path dir;

    @Test
    void aSnapshotIsReadBackAsWrittenAndNoTemporaryFileIsLeft() throws Exception {
        SnapshotFile<Sample> file = new SnapshotFile<>(dir.resolve("a/b/state.json"), Sample.class);
        assertThat(file.read()).isEmpty();

        Sample sample = new Sample(1, "x", Map.of("k", "v"), List.of("i-1", "i-2"));
        file.write(sample);
        file.write(new Sample(2, "y", Map.of(), List.of()));
        file.write(sample);

        assertThat(file.read()).contains(sample);
        try (Stream<Path> files = Files.list(dir.resolve("a/b"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("state.json");
        }
    }

    @Test
    void aDamagedFileIsReportedNotIgnored() throws Exception {
        Files.writeString(dir.resolve("state.json"), "{\"version\": 1, \"name\": ");
        SnapshotFile<Sample> file = new SnapshotFile<>(dir.resolve("state.json"), Sample.class);
        assertThatThrownBy(file::read).isInstanceOf(UncheckedIOException.class).hasMessageContaining("state.json");
    }

    @Test
    void aBurstOfChangesCostsOneWriteAndCloseWritesTheLastState() throws Exception {
        SnapshotFile<Sample> file = new SnapshotFile<>(dir.resolve("state.json"), Sample.class);
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger value = new AtomicInteger();
        SnapshotSaver<Sample> saver = new SnapshotSaver<>(file, () -> {
            taken.incrementAndGet();
            return new Sample(value.get(), "n", Map.of(), List.of());
        }, Duration.ofMillis(300));

        for (int i = 1; i <= 100; i++) {
            value.set(i);
            saver.changed();
        }
        // The saver's own thread writes, and the file appears only when the write is complete (atomic move).
        await().atMost(Duration.ofSeconds(10)).until(() -> file.read().isPresent());
        assertThat(taken.get()).isEqualTo(1);
        assertThat(file.read()).get().extracting(Sample::version).isEqualTo(100);

        value.set(101);
        saver.close();
        assertThat(file.read()).get().extracting(Sample::version).isEqualTo(101);
        saver.changed(); // after close: nothing more is scheduled
        assertThat(taken.get()).isEqualTo(2);
    }
}
