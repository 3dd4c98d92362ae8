package io.k0rdent.ops.gitwatcher.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The shared push-webhook fixtures (copied byte for byte into {@code src/test/resources/webhooks/})
 * and the signing facts of their README.
 */
public final class Fixtures {

    public static final String SECRET = "k0rdent-test-secret";
    public static final String GITHUB_PUSH_HMAC = "2421f675dd62006e6db5e24fea7c611cb02369a9340d0234b5959d847945f5ae";
    public static final String GITHUB_TAG_DELETED_HMAC = "78d78aa26a131308bc28345fedd35e52b0c51763c20b3b04d61dcf06b27f7f48";
    public static final String GITEA_PUSH_HMAC = "ef9a4a14b31a049d9c7cfccf0acab15b2f5e2f9470eaaff4ef17166d85cf10f4";
    /** The deprecated in-body secret of the Gitea example, which must never be logged or trusted. */
    public static final String GITEA_BODY_SECRET = "3gEsCfjlV2ugRwgpU#w1*WaW*wa4NXgGmpCfkbG3";

    private Fixtures() {
    }

    /**
     * A fixture as GitHub or Gitea send it with the form content type: {@code payload=<url-encoded JSON>}.
     * Its signature is over these bytes, so the fixtures' HMACs do not apply; compute them over the result.
     */
    public static byte[] formEncoded(String name) {
        String json = new String(webhook(name), java.nio.charset.StandardCharsets.UTF_8);
        return ("payload=" + java.net.URLEncoder.encode(json, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public static byte[] webhook(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
