package io.k0rdent.ops.sandbox.hosts;

import java.util.ArrayList;
import java.util.List;

/**
 * The small subset of POSIX shell syntax the simulated hosts understand: words, single quotes,
 * backslash escapes outside quotes, and {@code &&} between commands. Everything else a shell would
 * interpret (unquoted {@code ; | & < > $ ` ( ) * ? [ ] { } ~ # !}, double quotes, newlines) is
 * refused, so a command line that would make a real shell do more than run the intended programs
 * fails loudly on a simulated host instead of being silently mis-simulated.
 */
public final class ShellWords {

    private static final String SPECIAL = ";|&<>$`()*?[]{}~#!\"\n\r";

    private ShellWords() {
    }

    /** Raised for syntax the simulated shell refuses. */
    public static final class UnsupportedSyntaxException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UnsupportedSyntaxException(String message) {
            super(message);
        }
    }

    /**
     * @return the argument vectors of the commands joined by {@code &&}
     * @throws UnsupportedSyntaxException for anything a real shell would interpret
     */
    public static List<List<String>> parse(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new UnsupportedSyntaxException("unterminated single quote");
                }
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new UnsupportedSyntaxException("trailing backslash");
                }
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '&' && word == null && line.startsWith("&&", i)
                    && (i + 2 == line.length() || line.charAt(i + 2) == ' ')) {
                if (words.isEmpty()) {
                    throw new UnsupportedSyntaxException("'&&' without a command before it");
                }
                commands.add(words);
                words = new ArrayList<>();
                i += 2;
            } else if (SPECIAL.indexOf(c) >= 0) {
                throw new UnsupportedSyntaxException("unquoted '" + (c == '\n' ? "\\n" : String.valueOf(c))
                        + "' at column " + (i + 1));
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new UnsupportedSyntaxException(commands.isEmpty() ? "empty command" : "'&&' without a command after it");
        }
        commands.add(words);
        return commands;
    }
}
