package io.k0rdent.ops.deploy.observability;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which metric names a PromQL expression reads. Not a parser: it removes what cannot be a metric name
 * (strings, label matchers, ranges, label lists of {@code by}/{@code on}/..., Grafana variables) and keeps
 * the identifiers that are neither a function call nor a keyword. That is enough to catch a misspelt
 * metric, which Prometheus would accept silently and answer with an empty result.
 */
public final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    /** Grafana's {@code $var}, {@code ${var}} and {@code [[var]]}; before label matchers, whose braces they share. */
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[[^]]*]]");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** An identifier that does not continue a number (15m, 1e3) or another word. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of(
            // aggregation operators
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio",
            // binary operators and modifiers
            "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "start", "end",
            // number literals
            "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** The metric names {@code expression} selects, in order of appearance. */
    public static Set<String> metricNames(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll("\"\"");
        rest = VARIABLES.matcher(rest).replaceAll(" ");
        rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = LABEL_LISTS.matcher(rest).replaceAll("$1 ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            if (KEYWORDS.contains(name) || isFunctionCall(rest, identifier.end())) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    private static boolean isFunctionCall(String text, int end) {
        int i = end;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
