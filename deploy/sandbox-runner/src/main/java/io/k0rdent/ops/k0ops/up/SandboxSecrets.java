package io.k0rdent.ops.k0ops.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The sandbox's secrets, one file each under {@code <state dir>/secrets}, readable by their owner only: what the
 * services are given by path (webhook secret, host-key seed, Slack URL, forge token), never by value.
 */
final class SandboxSecrets {

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    SandboxSecrets(Path stateDir) {
        this.dir = stateDir.resolve("secrets");
    }

    /** Writes {@code content} as the secret {@code name}, replacing an older one. */
    Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(dir);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
        return file;
    }

    /** A new random secret of {@code bytes} bytes, hex-encoded, written as {@code name}. */
    Path writeRandom(String name, int bytes) throws IOException {
        return write(name, randomHex(bytes));
    }

    /** The secret {@code name}, made once with {@code bytes} random bytes and kept across restarts. */
    Path keepRandom(String name, int bytes) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? file : writeRandom(name, bytes);
    }

    private String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
