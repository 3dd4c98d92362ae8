package io.k0rdent.ops.sandbox.ec2;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One Describe* filter. A resource matches when any of its values for the filter name matches any filter value;
 * values may use EC2's wildcards {@code *} and {@code ?}.
 */
record Ec2Filter(String name, List<String> values) {

    boolean matches(List<String> actual) {
        for (String wanted : values) {
            if (wanted.indexOf('*') < 0 && wanted.indexOf('?') < 0) {
                // The common case (ids, tag values) needs no pattern.
                if (actual.contains(wanted)) {
                    return true;
                }
                continue;
            }
            Pattern pattern = wildcard(wanted);
            for (String value : actual) {
                if (value != null && pattern.matcher(value).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Pattern wildcard(String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
