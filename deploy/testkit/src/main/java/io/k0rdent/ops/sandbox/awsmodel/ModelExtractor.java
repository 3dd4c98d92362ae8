package io.k0rdent.ops.sandbox.awsmodel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reduces a botocore {@code service-2.json} to a {@link ServiceModel}: every operation's input shape and the shapes
 * it reaches, without documentation or output shapes, with each member's wire name worked out the way the
 * service's protocol serializes it (botocore {@code serialize.py}, which the AWS SDKs' query marshallers follow):
 * <ul>
 *   <li>{@code ec2}: a member travels as its {@code queryName}, else its {@code locationName} with the first letter
 *       upper-cased, else its member name; every list is flattened ({@code Name.1}, {@code Name.2});</li>
 *   <li>{@code query}: a member travels as its {@code locationName}, else its member name; a list that is not
 *       {@code flattened} puts its element's location name, default {@code member}, before the index
 *       ({@code Name.member.1}).</li>
 * </ul>
 */
public final class ModelExtractor {

    private ModelExtractor() {
    }

    public static ServiceModel extract(String service, JsonNode botocore, String source) {
        JsonNode metadata = botocore.path("metadata");
        String protocol = metadata.path("protocol").asText();
        if (!protocol.equals("ec2") && !protocol.equals("query")) {
            throw new IllegalArgumentException(service + " uses protocol " + protocol + ", not a query protocol");
        }
        JsonNode shapes = botocore.path("shapes");
        Map<String, String> operations = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        botocore.path("operations").fields().forEachRemaining(op -> {
            JsonNode input = op.getValue().path("input").path("shape");
            operations.put(op.getKey(), input.isMissingNode() ? null : input.asText());
            if (!input.isMissingNode()) {
                pending.add(input.asText());
            }
        });
        Map<String, ShapeSpec> reached = new TreeMap<>();
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (reached.containsKey(name)) {
                continue;
            }
            ShapeSpec spec = reduce(protocol, shapes.path(name));
            reached.put(name, spec);
            spec.members().values().forEach(member -> pending.add(member.shape()));
            if (spec.item() != null) {
                pending.add(spec.item());
            }
        }
        return new ServiceModel(service, protocol, metadata.path("apiVersion").asText(), source,
                nullTolerant(operations), reached);
    }

    private static ShapeSpec reduce(String protocol, JsonNode shape) {
        String type = shape.path("type").asText();
        Map<String, ShapeSpec.MemberSpec> members = new LinkedHashMap<>();
        shape.path("members").fields().forEachRemaining(member -> members.put(member.getKey(),
                new ShapeSpec.MemberSpec(member.getValue().path("shape").asText(),
                        wireName(protocol, member.getKey(), member.getValue()))));
        List<String> required = new ArrayList<>();
        shape.path("required").forEach(r -> required.add(r.asText()));
        List<String> values = new ArrayList<>();
        shape.path("enum").forEach(v -> values.add(v.asText()));
        String item = null;
        String itemWire = null;
        if (type.equals("list")) {
            item = shape.path("member").path("shape").asText();
            itemWire = protocol.equals("ec2") || shape.path("flattened").asBoolean(false) ? ""
                    : shape.path("member").path("locationName").asText("member");
        } else if (type.equals("map")) {
            item = shape.path("value").path("shape").asText();
        }
        return new ShapeSpec(type, members, required, number(shape.path("min")), number(shape.path("max")), values,
                item, itemWire);
    }

    private static String wireName(String protocol, String memberName, JsonNode member) {
        if (protocol.equals("ec2")) {
            if (member.has("queryName")) {
                return member.path("queryName").asText();
            }
            if (member.has("locationName")) {
                String location = member.path("locationName").asText();
                return Character.toUpperCase(location.charAt(0)) + location.substring(1);
            }
            return memberName;
        }
        return member.path("locationName").asText(memberName);
    }

    private static Long number(JsonNode node) {
        return node.isNumber() ? node.asLong() : null;
    }

    // Map.copyOf refuses null values; operations without input keep an empty-string marker instead.
    private static Map<String, String> nullTolerant(Map<String, String> operations) {
        Map<String, String> copy = new TreeMap<>();
        operations.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }
}
