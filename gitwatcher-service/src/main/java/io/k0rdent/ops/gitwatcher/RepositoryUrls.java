package io.k0rdent.ops.gitwatcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Repository URL handling that must agree everywhere: what is shown, and what counts as the same repository. */
public final class RepositoryUrls {

    private RepositoryUrls() {
    }

    /**
     * The URL without user info, as it may appear in events, logs and {@code /repositories}. A URL
     * such as {@code https://user:token@host/x.git} must never be shown as is.
     */
    public static String withoutCredentials(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() == null || uri.getHost() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException notAUri) {
            // scp-like "git@host:owner/repo.git": the user there is a login name, not a secret.
            return url;
        }
    }

    /**
     * A form in which the different spellings of one repository compare equal: scheme, user info,
     * a trailing {@code .git} or {@code /} and letter case are ignored, and {@code git@host:owner/name}
     * equals {@code https://host/owner/name}. Plain {@code owner/name} is kept as is (lower-cased).
     */
    public static String matchKey(String urlOrName) {
        String s = urlOrName.strip().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
            int at = s.indexOf('@');
            int slash = s.indexOf('/');
            if (at >= 0 && (slash < 0 || at < slash)) {
                s = s.substring(at + 1);
            }
            // Drop a port: the same repository is often reachable over several ports/protocols.
            int colon = s.indexOf(':');
            slash = s.indexOf('/');
            if (colon >= 0 && slash > colon) {
                s = s.substring(0, colon) + s.substring(slash);
            }
        } else if (s.matches("[^/@]+@[^/:]+:.+")) {
            s = s.substring(s.indexOf('@') + 1).replaceFirst(":", "/");
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith(".git")) {
            s = s.substring(0, s.length() - 4);
        }
        return s;
    }
}
