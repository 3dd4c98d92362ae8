package io.k0rdent.ops.gitwatcher;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Git-style path globs for repository-relative paths: {@code *} and {@code ?} stay within one
 * directory, {@code **}{@code /} matches any number of directories including none (so
 * {@code clusters/**}{@code /*.yaml} matches {@code clusters/a.yaml} and {@code clusters/eu/a.yaml}).
 * {@link java.nio.file.PathMatcher} is not used because its {@code **} needs at least one directory.
 */
public final class PathGlobs {

    private final List<String> globs;
    private final List<Pattern> patterns;

    public PathGlobs(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.patterns = this.globs.stream().map(PathGlobs::toRegex).map(Pattern::compile).toList();
    }

    public boolean matches(String path) {
        if (path == null) {
            return false;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    public List<String> globs() {
        return globs;
    }

    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 3;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return regex.toString();
    }

    @Override
    public String toString() {
        return globs.toString();
    }
}
