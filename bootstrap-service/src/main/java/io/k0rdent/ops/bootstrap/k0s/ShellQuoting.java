package io.k0rdent.ops.bootstrap.k0s;

import java.util.regex.Pattern;

/**
 * POSIX shell quoting of single arguments. Every value that reaches a remote command goes through
 * {@link #quote(String)}, so that whatever it contains it stays one word and is never interpreted:
 * inside single quotes a POSIX shell gives no character a special meaning, and the only character
 * that cannot appear there, the single quote itself, is written as {@code '\''}.
 */
public final class ShellQuoting {

    /** Words made only of these characters mean the same quoted or not; leaving them bare keeps commands readable. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellQuoting() {
    }

    /**
     * @param word any text without control characters
     * @return the text as exactly one shell word
     * @throws IllegalArgumentException for control characters (NUL cannot be passed at all; newlines
     *                                  and escapes are never legitimate in the values we send and would
     *                                  make logs misleading)
     */
    public static String quote(String word) {
        if (word == null) {
            throw new IllegalArgumentException("null cannot be a shell word");
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character U+" + String.format("%04X", (int) c)
                        + " in a remote command argument");
            }
        }
        // Quoting cannot stop a program from reading a word as an option; values that could start
        // with '-' are excluded by SafeValues' patterns instead.
        if (BARE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
