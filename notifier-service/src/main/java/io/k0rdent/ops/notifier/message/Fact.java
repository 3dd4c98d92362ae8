package io.k0rdent.ops.notifier.message;

/**
 * One labelled piece of a message.
 *
 * @param label e.g. {@code Commit}
 * @param value plain text
 * @param link  an URL the value links to, or {@code null}
 * @param code  whether the value is a command or log text to show in monospace
 */
public record Fact(String label, String value, String link, boolean code) {

    public static Fact text(String label, String value) {
        return new Fact(label, value, null, false);
    }

    public static Fact link(String label, String value, String link) {
        return new Fact(label, value, link, false);
    }

    public static Fact code(String label, String value) {
        return new Fact(label, value, null, true);
    }
}
