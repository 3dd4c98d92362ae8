package io.k0rdent.ops.sandbox.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading ELBv2 Query parameters ({@code Name.member.N}, {@code Tags.member.N.Key}) and the checks every ELBv2 action
 * shares. Failures are ELBv2's codes: {@code ValidationError} for a malformed request, the service's own codes
 * ({@code DuplicateTagKeys}, {@code TooManyTags}) where the model names one.
 */
final class Elbv2Params {

    /** ELBv2's quota of tags per resource (AWS, "Quotas for your Network Load Balancers"). */
    static final int MAX_TAGS = 50;
    /**
     * Load balancer and target group names: "a maximum of 32 characters, must contain only alphanumeric characters or
     * hyphens, must not begin or end with a hyphen" (service-2.json, CreateLoadBalancer/CreateTargetGroup Name).
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");

    private Elbv2Params() {
    }

    /** A parameter the operation cannot do without (the model marks few members required; the docs more). */
    static String required(QueryRequest request, String name, String what) {
        String value = request.get(name);
        if (value == null || value.isEmpty()) {
            throw Elbv2Xml.validation(what + " must be specified");
        }
        return value;
    }

    static int port(QueryRequest request, String name, String what) {
        String value = required(request, name, what);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw Elbv2Xml.validation("Value '" + value + "' at '" + name + "' is not a port");
        }
    }

    static Integer intOrNull(QueryRequest request, String name) {
        String value = request.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw Elbv2Xml.validation("Value '" + value + "' at '" + name + "' is not an integer");
        }
    }

    /** {@code prefix.member.1}, {@code prefix.member.2}, ... */
    static List<String> members(QueryRequest request, String prefix) {
        return request.list(prefix + ".member");
    }

    /** Checks a load balancer or target group name against the documented rules. */
    static void checkName(String name, String kind) {
        if (!NAME.matcher(name).matches()) {
            throw Elbv2Xml.validation("The " + kind + " name '" + name + "' is not valid: at most 32 alphanumeric "
                    + "characters or hyphens, not beginning or ending with a hyphen");
        }
    }

    /** {@code prefix.member.N.Key}/{@code Value}; a key given twice is {@code DuplicateTagKeys}. */
    static Map<String, String> tags(QueryRequest request, String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        int count = request.structCount(prefix + ".member");
        for (int i = 1; i <= count; i++) {
            String key = required(request, prefix + ".member." + i + ".Key", "A tag key");
            if (tags.containsKey(key)) {
                throw Ec2Error.client("DuplicateTagKeys", "Tag key '" + key + "' is duplicated");
            }
            String value = request.get(prefix + ".member." + i + ".Value");
            tags.put(key, value == null ? "" : value);
        }
        return tags;
    }

    /** Adds {@code added} to {@code tags} unless the resource would exceed its quota ({@code TooManyTags}). */
    static void addTags(Map<String, String> tags, Map<String, String> added, String arn) {
        Map<String, String> merged = new LinkedHashMap<>(tags);
        merged.putAll(added);
        if (merged.size() > MAX_TAGS) {
            throw Ec2Error.client("TooManyTags", "The quota for the number of tags that can be assigned to '" + arn
                    + "' (" + MAX_TAGS + ") has been reached");
        }
        tags.putAll(added);
    }

    /** What the emulator refuses because it does not model it, said as such (never a silent wrong answer). */
    static Ec2Error notModelled(String what) {
        return Elbv2Xml.validation(what + " is not supported by this emulator (it models TCP network load balancers "
                + "with instance targets only)");
    }
}
