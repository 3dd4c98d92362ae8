package io.k0rdent.ops.sandbox.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The form parameters of one EC2 Query API call. EC2 flattens lists as {@code Name.1}, {@code Name.2}, ... and
 * structures as {@code Name.Member}, so {@code Filter.1.Value.2} is the second value of the first filter.
 */
final class QueryRequest {

    private final Map<String, String> params;

    QueryRequest(Map<String, String> params) {
        this.params = params;
    }

    static QueryRequest parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return new QueryRequest(params);
    }

    Map<String, String> all() {
        return params;
    }

    String get(String name) {
        return params.get(name);
    }

    String required(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter " + name);
        }
        return value;
    }

    int intValue(String name, int defaultValue) {
        String value = params.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Ec2Error.client("InvalidParameterValue", "Value (" + value + ") for parameter " + name
                    + " is invalid. Expected an integer.");
        }
    }

    boolean bool(String name) {
        return Boolean.parseBoolean(params.get(name));
    }

    /** {@code prefix.1}, {@code prefix.2}, ... until the first gap. */
    List<String> list(String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; params.containsKey(prefix + "." + i); i++) {
            values.add(params.get(prefix + "." + i));
        }
        return values;
    }

    /** How many {@code prefix.N.*} structures there are, counting while {@code prefix.N.anyMember} exists. */
    int structCount(String prefix) {
        int count = 0;
        while (hasStruct(prefix + "." + (count + 1))) {
            count++;
        }
        return count;
    }

    private boolean hasStruct(String prefix) {
        String start = prefix + ".";
        for (String key : params.keySet()) {
            if (key.startsWith(start)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code Filter.N.Name} / {@code Filter.N.Value.M} filters. */
    List<Ec2Filter> filters() {
        List<Ec2Filter> filters = new ArrayList<>();
        int count = structCount("Filter");
        for (int i = 1; i <= count; i++) {
            filters.add(new Ec2Filter(required("Filter." + i + ".Name"), list("Filter." + i + ".Value")));
        }
        return filters;
    }

    /** Tags from {@code TagSpecification.N} whose ResourceType is {@code resourceType}. */
    Map<String, String> tagSpecifications(String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        int specs = structCount("TagSpecification");
        for (int s = 1; s <= specs; s++) {
            String type = get("TagSpecification." + s + ".ResourceType");
            if (!resourceType.equals(type)) {
                continue;
            }
            tags.putAll(tags("TagSpecification." + s + ".Tag"));
        }
        return tags;
    }

    /** Tags listed as {@code prefix.N.Key} / {@code prefix.N.Value}. */
    Map<String, String> tags(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        int count = structCount(prefix);
        for (int t = 1; t <= count; t++) {
            String key = required(prefix + "." + t + ".Key");
            if (key.startsWith("aws:")) {
                throw Ec2Error.client("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved");
            }
            String value = get(prefix + "." + t + ".Value");
            tags.put(key, value == null ? "" : value);
        }
        return tags;
    }
}
