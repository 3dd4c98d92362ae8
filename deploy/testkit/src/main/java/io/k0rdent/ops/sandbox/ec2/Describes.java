package io.k0rdent.ops.sandbox.ec2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** What every {@code Describe*} action of the emulator does the same way: filters, tag filters, pages. */
final class Describes {

    static final int DEFAULT_PAGE = 1000;

    private Describes() {
    }

    /** Applies the filters; {@code values} answers {@code null} for a filter name the resource does not know. */
    static <T> List<T> select(Collection<T> candidates, List<Ec2Filter> filters,
                                      BiFunction<T, String, List<String>> values) {
        List<T> selected = new ArrayList<>();
        outer:
        for (T candidate : candidates) {
            for (Ec2Filter filter : filters) {
                List<String> actual = values.apply(candidate, filter.name());
                if (actual == null) {
                    throw Ec2Error.client("InvalidParameterValue", "The filter '" + filter.name() + "' is invalid");
                }
                if (!filter.matches(actual)) {
                    continue outer;
                }
            }
            selected.add(candidate);
        }
        return selected;
    }

    /** Tag filters ({@code tag:Key}, {@code tag-key}, {@code tag-value}); {@code null} for anything else. */
    static List<String> tagValues(Map<String, String> tags, String filterName) {
        if (filterName.startsWith("tag:")) {
            String value = tags.get(filterName.substring(4));
            return value == null ? List.of() : List.of(value);
        }
        return switch (filterName) {
            case "tag-key" -> List.copyOf(tags.keySet());
            case "tag-value" -> List.copyOf(tags.values());
            default -> null;
        };
    }

    record Page<T>(List<T> items, String nextToken) {
    }

    static <T> Page<T> page(List<T> all, QueryRequest request) {
        return page(all, request.get("NextToken"), request.intValue("MaxResults", DEFAULT_PAGE));
    }

    static <T> Page<T> page(List<T> all, String token, int maxResults) {
        int from = 0;
        if (token != null && !token.isEmpty()) {
            try {
                from = Integer.parseInt(token.substring(token.indexOf('-') + 1));
            } catch (RuntimeException e) {
                throw Ec2Error.client("InvalidParameterValue", "The token '" + token + "' is invalid");
            }
        }
        int size = Math.max(1, maxResults);
        int to = Math.min(all.size(), from + size);
        List<T> items = from >= all.size() ? List.of() : all.subList(from, to);
        return new Page<>(List.copyOf(items), to < all.size() ? "page-" + to : null);
    }

    static <T> T find(Map<String, T> resources, String id, String notFoundCode) {
        T resource = resources.get(id);
        if (resource == null) {
            throw Ec2Error.notFound(notFoundCode, id);
        }
        return resource;
    }


    /** All resources, or exactly the listed ones (each must exist, as EC2 checks). */
    static <T> List<T> byIds(Map<String, T> resources, List<String> ids, String notFoundCode) {
        if (ids.isEmpty()) {
            return new ArrayList<>(resources.values());
        }
        List<T> found = new ArrayList<>();
        for (String id : ids) {
            found.add(find(resources, id, notFoundCode));
        }
        return found;
    }
}
