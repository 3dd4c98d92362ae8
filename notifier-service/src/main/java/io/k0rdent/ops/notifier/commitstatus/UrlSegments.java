package io.k0rdent.ops.notifier.commitstatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Encodes one URL path segment ({@code /} included, as GitLab wants for a project path used as id). */
final class UrlSegments {

    private UrlSegments() {
    }

    static String encode(String segment) {
        // URLEncoder is for forms: a space becomes '+', which in a path is a literal plus.
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
