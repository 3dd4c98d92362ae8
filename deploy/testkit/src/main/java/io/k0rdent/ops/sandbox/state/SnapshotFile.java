package io.k0rdent.ops.sandbox.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One JSON snapshot file of a simulated part of the sandbox (EC2 emulator, simulated hosts, management API), so a
 * second {@code k0ops up} finds the world the first one left. Written atomically: the new content goes to a
 * temporary file beside the target, is forced to disk and then moved over it, so a {@code kill -9} in the middle of
 * a write leaves the previous snapshot, never half of one.
 *
 * @param <T> the snapshot type: a record (or a tree of records) Jackson can write and read
 */
public final class SnapshotFile<T> {

    private final Path file;
    private final Class<T> type;
    private final ObjectMapper json;

    public SnapshotFile(Path file, Class<T> type) {
        this.file = file.toAbsolutePath().normalize();
        this.type = type;
        this.json = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                // A snapshot written by an older sandbox may carry fields this one no longer knows.
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    }

    public Path path() {
        return file;
    }

    /** The snapshot, or empty when none was written yet. */
    public Optional<T> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox state " + file
                    + " (move it away to start with an empty world)", e);
        }
    }

    /** Replaces the file's content with {@code snapshot}, atomically. */
    public void write(T snapshot) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot);
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(java.nio.ByteBuffer.wrap(bytes));
                    channel.force(true);
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox state " + file, e);
        }
    }
}
