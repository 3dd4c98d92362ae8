package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.NodeRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic RunInstances {@code ClientToken}s. The same (cluster, generation, role, slot, attempt) always gives
 * the same token, so a RunInstances repeated after a crash returns the instance launched before instead of a second
 * one. {@code attempt} counts earlier instances of the same slot and generation that were terminated (drift): EC2
 * keeps a token bound to its instance even after termination, so a replacement needs a new one.
 */
public final class ClientTokens {

    /** EC2's limit: at most 64 ASCII characters. */
    public static final int MAX_LENGTH = 64;

    private ClientTokens() {
    }

    public static String of(String cluster, long generation, NodeRole role, int slot, int attempt) {
        String readable = "k0-" + cluster + "-g" + generation + "-" + (role == NodeRole.CONTROLLER ? "c" : "w") + slot
                + (attempt == 0 ? "" : "-a" + attempt);
        if (readable.length() <= MAX_LENGTH && readable.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return readable;
        }
        // Long cluster names: a digest keeps the token unique, deterministic and within 64 characters.
        return "k0-" + HexFormat.of().formatHex(sha256(readable)).substring(0, MAX_LENGTH - 3);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
