package io.k0rdent.ops.sandbox.awsmodel;

import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks one Query-protocol request (the form parameters, {@code Action} and {@code Version} removed) against the
 * operation's input shape in a {@link ServiceModel}, the way the service checks it before doing anything: required
 * members must be present, numbers must parse and lie within {@code min}/{@code max}, strings must respect their
 * length and {@code enum}, lists their item counts, and (when asked) every parameter must be a member the shape has.
 * The first violation found is returned, members in model order, as AWS reports one error per request.
 *
 * <p>Unknown parameters are optional to refuse because a model is a snapshot: an SDK newer than the model sends
 * members added since (it fills idempotency tokens such as {@code CreateRouteTable}'s {@code ClientToken}, added after
 * botocore 1.29.27, by itself) that the real service accepts.
 */
public final class QueryRequestValidator {

    private final ServiceModel model;
    private final boolean refuseUnknownParameters;

    public QueryRequestValidator(ServiceModel model, boolean refuseUnknownParameters) {
        this.model = model;
        this.refuseUnknownParameters = refuseUnknownParameters;
    }

    public ServiceModel model() {
        return model;
    }

    public Optional<ModelViolation> validate(String action, Map<String, String> params) {
        if (!model.hasOperation(action)) {
            return Optional.of(new ModelViolation(ModelViolation.Kind.UNKNOWN_ACTION, "Action",
                    "The action " + action + " is not valid for this web service."));
        }
        Walk walk = new Walk(new TreeMap<>(params));
        Optional<ModelViolation> violation = model.input(action)
                .flatMap(input -> walk.structure(input, ""));
        if (violation.isPresent() || !refuseUnknownParameters) {
            return violation;
        }
        return walk.params.keySet().stream().filter(key -> !walk.consumed.contains(key)).findFirst()
                .map(key -> new ModelViolation(ModelViolation.Kind.UNKNOWN_PARAMETER, key,
                        "The parameter " + key + " is not recognized"));
    }

    /** One request's walk through the shapes, remembering which parameters matched a member. */
    private final class Walk {

        private final NavigableMap<String, String> params;
        private final Set<String> consumed = new HashSet<>();

        Walk(NavigableMap<String, String> params) {
            this.params = params;
        }

        Optional<ModelViolation> structure(ShapeSpec shape, String prefix) {
            for (Map.Entry<String, ShapeSpec.MemberSpec> member : shape.members().entrySet()) {
                String path = prefix.isEmpty() ? member.getValue().wire() : prefix + "." + member.getValue().wire();
                if (!present(path)) {
                    if (shape.required().contains(member.getKey())) {
                        return Optional.of(new ModelViolation(ModelViolation.Kind.MISSING_PARAMETER, path,
                                "The request must contain the parameter " + path));
                    }
                    continue;
                }
                Optional<ModelViolation> violation = value(model.shape(member.getValue().shape()), path);
                if (violation.isPresent()) {
                    return violation;
                }
            }
            return Optional.empty();
        }

        private Optional<ModelViolation> value(ShapeSpec shape, String path) {
            return switch (shape.type()) {
                case "structure" -> {
                    consumeEmpty(path);
                    yield structure(shape, path);
                }
                case "list" -> list(shape, path);
                case "map" -> {
                    // No EC2 or ELBv2 input the emulators serve takes a map; accept its entries as they come.
                    children(path).keySet().forEach(consumed::add);
                    consumeEmpty(path);
                    yield Optional.empty();
                }
                default -> scalar(shape, path);
            };
        }

        private Optional<ModelViolation> list(ShapeSpec shape, String path) {
            String itemPrefix = shape.itemWire() == null ? path : path + "." + shape.itemWire();
            consumeEmpty(path); // an empty list travels as "Name=" in the query protocol
            Set<Integer> indexes = new TreeSet<>();
            for (String key : children(itemPrefix).keySet()) {
                String rest = key.substring(itemPrefix.length() + 1);
                int dot = rest.indexOf('.');
                String index = dot < 0 ? rest : rest.substring(0, dot);
                if (!index.matches("[1-9][0-9]{0,5}")) {
                    return Optional.of(new ModelViolation(ModelViolation.Kind.UNKNOWN_PARAMETER, key,
                            "The parameter " + key + " is not recognized"));
                }
                indexes.add(Integer.parseInt(index));
            }
            if (shape.min() != null && indexes.size() < shape.min()) {
                return invalid(path, "The list " + path + " has " + indexes.size() + " items. Expecting at least "
                        + shape.min() + ".");
            }
            if (shape.max() != null && indexes.size() > shape.max()) {
                return invalid(path, "The list " + path + " has " + indexes.size() + " items. Expecting at most "
                        + shape.max() + ".");
            }
            ShapeSpec item = model.shape(shape.item());
            for (int index : indexes) {
                String itemPath = itemPrefix + "." + index;
                Optional<ModelViolation> violation = value(item, itemPath);
                if (violation.isPresent()) {
                    return violation;
                }
            }
            return Optional.empty();
        }

        private Optional<ModelViolation> scalar(ShapeSpec shape, String path) {
            String value = params.get(path);
            if (value == null) {
                String child = children(path).firstKey();
                return Optional.of(new ModelViolation(ModelViolation.Kind.UNKNOWN_PARAMETER, child,
                        "The parameter " + child + " is not recognized"));
            }
            consumed.add(path);
            switch (shape.type()) {
                case "integer", "long" -> {
                    long number;
                    try {
                        number = Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        return invalid(path, "Value (" + value + ") for parameter " + path
                                + " is invalid. Expected an integer.");
                    }
                    if (shape.min() != null && number < shape.min()) {
                        return invalid(path, "Value (" + value + ") for parameter " + path
                                + " is invalid. Expecting a value greater than or equal to " + shape.min() + ".");
                    }
                    if (shape.max() != null && number > shape.max()) {
                        return invalid(path, "Value (" + value + ") for parameter " + path
                                + " is invalid. Expecting a value less than or equal to " + shape.max() + ".");
                    }
                }
                case "boolean" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        return invalid(path, "Value (" + value + ") for parameter " + path
                                + " is invalid. Expected a boolean.");
                    }
                }
                case "double", "float" -> {
                    try {
                        Double.parseDouble(value.trim());
                    } catch (NumberFormatException e) {
                        return invalid(path, "Value (" + value + ") for parameter " + path
                                + " is invalid. Expected a number.");
                    }
                }
                case "string" -> {
                    int length = value.codePointCount(0, value.length());
                    if (shape.min() != null && length < shape.min()) {
                        return invalid(path, "Value for parameter " + path + " is invalid. Expecting at least "
                                + shape.min() + " characters.");
                    }
                    if (shape.max() != null && length > shape.max()) {
                        return invalid(path, "Value for parameter " + path + " is invalid. Expecting at most "
                                + shape.max() + " characters.");
                    }
                    if (!shape.values().isEmpty() && !shape.values().contains(value)) {
                        return invalid(path, "Value (" + value + ") for parameter " + path
                                + " is invalid. Expecting one of " + String.join(", ", shape.values()) + ".");
                    }
                }
                default -> {
                    // timestamp and blob: the SDK formats them; nothing in the model bounds them further.
                }
            }
            return Optional.empty();
        }

        private boolean present(String path) {
            return params.containsKey(path) || !children(path).isEmpty();
        }

        // '/' is the character after '.', so this is every key below "path."
        private SortedMap<String, String> children(String path) {
            return params.subMap(path + ".", path + "/");
        }

        private void consumeEmpty(String path) {
            if (params.containsKey(path) && params.get(path).isEmpty()) {
                consumed.add(path);
            }
        }

        private Optional<ModelViolation> invalid(String path, String message) {
            return Optional.of(new ModelViolation(ModelViolation.Kind.INVALID_VALUE, path, message));
        }
    }
}
