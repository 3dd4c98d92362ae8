package io.k0rdent.ops.notifier.commitstatus;

/** Shortens text for fields with a length limit without splitting a surrogate pair. */
public final class StatusText {

    private static final String ELLIPSIS = "…";

    private StatusText() {
    }

    /**
     * {@code text} if it has at most {@code maxChars} UTF-16 chars (the unit GitHub's limit counts in Ruby's
     * character length is code points; counting chars is stricter, hence safe), else a prefix ending in "…".
     */
    public static String truncate(String text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive");
        }
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(0, end)).stripTrailing() + ELLIPSIS;
    }
}
