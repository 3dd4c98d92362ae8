package io.k0rdent.ops.k0ops.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations as people type them ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}, and combinations
 * such as {@code 1h30m}, as kubectl and Go accept them) as well as ISO-8601 ({@code PT5S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            try {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }
        Matcher part = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = part.end();
        }
        if (end == 0 || end != text.length()) {
            throw invalid(value);
        }
        return total;
    }

    private static CommandLine.TypeConversionException invalid(String value) {
        return new CommandLine.TypeConversionException("'" + value
                + "' is not a duration: use e.g. 500ms, 5s, 2m, 1h, 1h30m or ISO-8601 such as PT5S");
    }
}
