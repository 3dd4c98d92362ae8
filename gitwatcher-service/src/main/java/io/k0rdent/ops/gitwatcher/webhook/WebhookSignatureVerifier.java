package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.support.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request comes from the Git host that knows the repository's secret.
 *
 * <ul>
 *   <li>The MAC is computed over the raw request bytes exactly as received; a body that was parsed
 *       and re-serialized would not verify, and must not.</li>
 *   <li>Comparisons are constant-time ({@link MessageDigest#isEqual}) so the response time does not
 *       reveal how much of a guess was right.</li>
 *   <li>The received value must be exactly what the host sends: lower-case hex, with the
 *       {@code sha256=} prefix for GitHub and without any prefix for Gitea. Upper-case hex, a
 *       {@code sha1=} value or a prefix on the Gitea header are refused: neither host sends them, so
 *       accepting them would only widen what an attacker may try.</li>
 * </ul>
 */
public final class WebhookSignatureVerifier {

    private static final String HMAC = "HmacSHA256";
    private static final String GITHUB_PREFIX = "sha256=";

    private WebhookSignatureVerifier() {
    }

    /**
     * @param provider  the endpoint the request came to
     * @param secret    the repository's webhook secret
     * @param signature the value of {@link WebhookProvider#signatureHeader()}; null when absent
     * @param body      the raw body
     */
    public static boolean verify(WebhookProvider provider, Secret secret, String signature, byte[] body) {
        if (secret == null || signature == null) {
            return false;
        }
        return switch (provider) {
            case GITHUB -> constantTimeEquals(GITHUB_PREFIX + hmacHex(secret, body), signature);
            case GITEA -> constantTimeEquals(hmacHex(secret, body), signature);
            // GitLab sends the token itself. Hashing both sides first keeps even the length out of the timing.
            case GITLAB -> MessageDigest.isEqual(sha256(secret.bytes()), sha256(signature.getBytes(StandardCharsets.UTF_8)));
        };
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} keyed with {@code secret}. */
    public static String hmacHex(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.bytes(), HMAC));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static boolean constantTimeEquals(String expected, String received) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                received.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
