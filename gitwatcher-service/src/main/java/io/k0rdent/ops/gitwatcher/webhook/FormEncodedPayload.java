package io.k0rdent.ops.gitwatcher.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * GitHub and Gitea can send a push as {@code application/x-www-form-urlencoded} with the JSON in one
 * {@code payload} field. The signature covers the form-encoded bytes as sent, so this runs only after the
 * signature was checked over those bytes: what is decoded here is already authenticated.
 */
final class FormEncodedPayload {

    static final String MEDIA_TYPE = "application/x-www-form-urlencoded";
    private static final String FIELD = "payload";

    private FormEncodedPayload() {
    }

    /** Whether a {@code Content-Type} value (possibly with parameters, any case) names a form-encoded body. */
    static boolean isFormEncoded(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /**
     * The decoded value of the {@code payload} field, as UTF-8 bytes of the JSON document.
     *
     * @throws MalformedPayloadException when there is no {@code payload} field or it is not valid form encoding
     */
    static byte[] extract(byte[] body) {
        // Form encoding is ASCII; anything else would fail to decode below anyway.
        String form = new String(body, StandardCharsets.US_ASCII);
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (FIELD.equals(decode(name))) {
                return decode(eq < 0 ? "" : pair.substring(eq + 1)).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new MalformedPayloadException("form-encoded body has no payload field");
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // The message would quote the payload.
            throw new MalformedPayloadException("form-encoded body is not valid form encoding");
        }
    }
}
