package io.k0rdent.ops.bootstrap.phase;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes the tail of a command's standard error and removes secrets from it before it goes into an
 * event or a log: the exact secrets of the current run (join tokens, the kubeconfig's key material)
 * and anything that looks like a credential.
 */
public final class Redactor {

    static final String REDACTED = "<redacted>";
    static final int MAX_LINES = 10;
    static final int MAX_CHARS = 1000;

    /** {@code token: abc}, {@code password=abc}, {@code client-key-data: ...}. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:token|password|passwd|secret|key-data|certificate-data|private[-_ ]?key)[\"']?\\s*[:=]\\s*)\\S+");
    /** Long base64 or hex runs: tokens, keys, certificates. */
    private static final Pattern BLOB = Pattern.compile("[A-Za-z0-9+/=_-]{40,}");
    private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z ]+-----[\\s\\S]*?(-----END [A-Z ]+-----|$)");

    private Redactor() {
    }

    /** The last lines of {@code stderr}, with {@code secrets} and credential-like text removed. */
    public static String tail(String stderr, Collection<String> secrets) {
        if (stderr == null || stderr.isBlank()) {
            return null;
        }
        String text = redact(stderr, secrets);
        List<String> lines = Arrays.asList(text.strip().split("\\R"));
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size()));
        return tail.length() <= MAX_CHARS ? tail : tail.substring(tail.length() - MAX_CHARS);
    }

    /** {@code text} with {@code secrets} and credential-like text removed. */
    public static String redact(String text, Collection<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, REDACTED);
            }
        }
        out = PEM.matcher(out).replaceAll(REDACTED);
        out = KEY_VALUE.matcher(out).replaceAll("$1" + REDACTED);
        return BLOB.matcher(out).replaceAll(REDACTED);
    }
}
