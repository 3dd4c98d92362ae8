package io.k0rdent.ops.notifier.routing;

import java.util.Locale;

/** How urgent an event is for people; derived from its type (see {@link EventClass}). */
public enum Severity {
    INFO,
    WARNING,
    ERROR;

    /** Parses {@code info}, {@code warning} or {@code error}, case-insensitively, as written in configuration. */
    public static Severity parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
