package io.k0rdent.ops.sandbox.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The join tokens the simulated controllers issue, shaped as k0s's are: base64 of a gzipped kubeconfig whose user
 * token is a bootstrap token {@code <id>.<secret>} (k0s docs, "k0s token create"; k0sctl reads the id back the same
 * way to invalidate it), naming the join address (the API on 6443 for workers, the join API on 9443 for
 * controllers). A token is good for its role and cluster until its {@code --expiry} passes ({@code 0s}: never) or
 * {@code k0s token invalidate <id>} is run on one of that cluster's controllers.
 */
final class JoinTokens {

    /** One issued token. */
    record Token(SimulatedCluster cluster, String role, String id, Instant expiresAt, boolean invalidated) {
    }

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    String issue(SimulatedCluster cluster, String role, Duration expiry, String server, Instant now) {
        String id = randomText(6);
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: k0s\n  cluster:\n    server: " + server
                + "\n    certificate-authority-data: " + Base64.getEncoder().encodeToString(randomBytes(32))
                + "\ncontexts:\n- name: k0s\n  context:\n    cluster: k0s\n    user: " + role + "-bootstrap\n"
                + "current-context: k0s\nusers:\n- name: " + role + "-bootstrap\n  user:\n    token: " + id + "."
                + randomText(16) + "\n";
        String token = Base64.getEncoder().encodeToString(gzip(kubeconfig));
        tokens.put(token, new Token(cluster, role, id, expiry.isZero() ? null : now.plus(expiry), false));
        return token;
    }

    /** The cluster a node joins with {@code token} as {@code role}, or why it cannot. */
    Result redeem(String token, String role, Instant now) {
        Token t = tokens.get(token);
        if (t == null) {
            return Result.refused("invalid join token");
        }
        if (!t.role().equals(role)) {
            return Result.refused("the join token is for role " + t.role() + ", not " + role);
        }
        if (t.invalidated()) {
            return Result.refused("the join token was invalidated");
        }
        if (t.expiresAt() != null && !now.isBefore(t.expiresAt())) {
            return Result.refused("the join token expired at " + t.expiresAt());
        }
        return new Result(t.cluster(), null);
    }

    /** Invalidates the token with {@code id} of {@code cluster}; false when it has none with that id. */
    boolean invalidate(SimulatedCluster cluster, String id) {
        boolean[] found = {false};
        tokens.replaceAll((text, t) -> {
            if (t.cluster() == cluster && t.id().equals(id)) {
                found[0] = true;
                return new Token(t.cluster(), t.role(), t.id(), t.expiresAt(), true);
            }
            return t;
        });
        return found[0];
    }

    /** Tokens that could still be redeemed now. */
    List<String> usable(Instant now) {
        List<String> usable = new ArrayList<>();
        tokens.forEach((text, t) -> {
            if (!t.invalidated() && (t.expiresAt() == null || now.isBefore(t.expiresAt()))) {
                usable.add(text);
            }
        });
        return usable;
    }

    List<String> issued() {
        return List.copyOf(tokens.keySet());
    }

    Map<String, Token> all() {
        return Map.copyOf(tokens);
    }

    void restore(String token, Token data) {
        tokens.put(token, data);
    }

    void forget(SimulatedCluster cluster) {
        tokens.values().removeIf(t -> t.cluster() == cluster);
    }

    /** What redeeming a token gave: its cluster, or why not. */
    record Result(SimulatedCluster cluster, String refusal) {
        static Result refused(String why) {
            return new Result(null, why);
        }
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return text.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Go's duration text as {@code --expiry} takes it: {@code 1h}, {@code 15m}, {@code 1h30m}, {@code 90s}, {@code 0s}. */
    static Optional<Duration> parseExpiry(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(h|m|s|ms)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        return end == text.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }
}
