package io.k0rdent.ops.k0ops.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json}: aligned text for people, JSON lines for scripts. */
public final class OutputOptions {

    /** Output formats. */
    public enum Format {
        TABLE,
        JSON
    }

    @Option(names = {"-o", "--output"}, defaultValue = "table", converter = FormatConverter.class,
            description = "Output format: table or json (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--no-color", description = "Never colour the output (colour is used only on a terminal).")
    boolean noColor;

    public boolean json() {
        return format == Format.JSON;
    }

    /** Colour only when writing to a terminal, so pipes and files get plain text. */
    public boolean color() {
        return !noColor && !json() && System.console() != null && System.getenv("NO_COLOR") == null;
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return Format.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
