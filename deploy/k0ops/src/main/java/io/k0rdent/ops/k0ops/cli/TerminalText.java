package io.k0rdent.ops.k0ops.cli;

/**
 * Makes text from events safe and visible on a terminal. Names, messages and errors come from Git and from the
 * services; a control character could move the cursor or recolour the screen, and an invisible one (a zero-width
 * space, a bidirectional override) makes two different names look the same. Each such character is shown as a
 * Java-style escape ({@code \n}, {@code \t}, {@code \u200B}) instead.
 */
public final class TerminalText {

    private TerminalText() {
    }

    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            String replacement = replacement(codePoint);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : new String(Character.toChars(codePoint)));
            }
            i += Character.charCount(codePoint);
        }
        return out == null ? text : out.toString();
    }

    private static String replacement(int codePoint) {
        switch (codePoint) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        int type = Character.getType(codePoint);
        boolean invisible = type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.SURROGATE;
        return invisible ? String.format("\\u%04X", codePoint) : null;
    }
}
