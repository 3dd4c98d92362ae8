package io.k0rdent.ops.bootstrap.k0s;

import java.util.regex.Pattern;

/**
 * Strict patterns for every value that reaches a remote command or a generated file. Quoting already
 * keeps values from being executed; these checks add that a value is also what it claims to be (a
 * version is a version), so a strange value fails early with a clear message instead of producing a
 * strange but harmless command.
 */
public final class SafeValues {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern K0S_VERSION = Pattern.compile("[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}\\+k0s\\.[0-9]{1,4}");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.]{0,251}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[A-Za-z0-9._/+-]{1,255}");
    private static final Pattern HTTPS_URL = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9._~/+%-]*");
    private static final Pattern ARCH = Pattern.compile("amd64|arm64|arm");
    /** A Kubernetes bootstrap token id: six of [a-z0-9] (kubeadm's and k0s's format). */
    private static final Pattern TOKEN_ID = Pattern.compile("[a-z0-9]{6}");

    private SafeValues() {
    }

    public static String clusterName(String value) {
        return require(value, DNS_LABEL, "cluster name (DNS-1123 label)");
    }

    public static String k0sVersion(String value) {
        return require(value, K0S_VERSION, "k0s version (MAJOR.MINOR.PATCH+k0s.BUILD)");
    }

    /** A node address: an IPv4 address or a DNS name. */
    public static String address(String value) {
        if (value != null && IPV4.matcher(value).matches()) {
            return value;
        }
        return require(value, HOSTNAME, "host address");
    }

    public static String hostname(String value) {
        return require(value, HOSTNAME, "hostname");
    }

    public static String sshUser(String value) {
        return require(value, USER, "SSH user");
    }

    public static String path(String value) {
        String checked = require(value, ABSOLUTE_PATH, "absolute path");
        if (checked.contains("..")) {
            throw new UnsafeValueException("absolute path", value);
        }
        return checked;
    }

    public static String url(String value) {
        return require(value, HTTPS_URL, "download URL");
    }

    public static String arch(String value) {
        return require(value, ARCH, "architecture");
    }

    public static String tokenId(String value) {
        return require(value, TOKEN_ID, "join token id");
    }

    public static int port(int port) {
        if (port < 1 || port > 65535) {
            throw new UnsafeValueException("port", Integer.toString(port));
        }
        return port;
    }

    private static String require(String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new UnsafeValueException(what, value);
        }
        return value;
    }

    /** A value that does not match its strict pattern; never reaches a remote command. */
    public static final class UnsafeValueException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UnsafeValueException(String what, String value) {
            super("not a valid " + what + ": " + printable(value));
        }

        /** The rejected value, shortened and with control characters escaped, for a readable message. */
        private static String printable(String value) {
            if (value == null) {
                return "null";
            }
            StringBuilder out = new StringBuilder("'");
            value.codePoints().limit(80).forEach(c -> {
                if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            return out.append(value.length() > 80 ? "…'" : "'").toString();
        }
    }
}
