package io.k0rdent.ops.notifier.commitstatus;

import java.util.Locale;

/** A Git forge whose commit status API the notifier can write to. */
public enum Forge {
    GITHUB("GitHub"),
    GITLAB("GitLab"),
    GITEA("Gitea");

    private final String displayName;

    Forge(String displayName) {
        this.displayName = displayName;
    }

    /** The forge's name for failure reasons and logs. */
    public String displayName() {
        return displayName;
    }

    /** {@code github}, {@code gitlab} or {@code gitea}, case-insensitive. */
    public static Forge parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("forge is required: github, gitlab or gitea");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown forge '" + value + "': expected github, gitlab or gitea", e);
        }
    }
}
