package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Values of scalars under the YAML 1.2 core schema. The composer has already resolved each plain
 * scalar's tag; this class only turns the text into the JSON value of that tag, and refuses every
 * other tag ({@code !!binary}, {@code !!set}, application tags), which a cluster definition never
 * needs and which other loaders would turn into objects.
 */
final class CoreScalars {

    private static final Set<Tag> CORE_SCALAR_TAGS = Set.of(Tag.STR, Tag.NULL, Tag.BOOL, Tag.INT, Tag.FLOAT);

    // The core schema forms; an explicit tag such as "!!int 12abc" has to be checked against them too.
    private static final Pattern NULL = Pattern.compile("null|Null|NULL|~|");
    private static final Pattern TRUE = Pattern.compile("true|True|TRUE");
    private static final Pattern FALSE = Pattern.compile("false|False|FALSE");
    private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern OCTAL_INT = Pattern.compile("0o[0-7]+");
    private static final Pattern HEX_INT = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern INFINITY = Pattern.compile("([-+]?)\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

    private CoreScalars() {
    }

    static boolean isCoreTag(Tag tag) {
        return CORE_SCALAR_TAGS.contains(tag);
    }

    /**
     * @return the JSON value, or empty when the tag is not a core scalar tag or the text is not a
     *         valid value of it
     */
    static Optional<JsonNode> toJson(Tag tag, String text) {
        // The resolver tags a plain "<<" as a merge key even as a value, where it can only be text.
        if (tag.equals(Tag.STR) || tag.equals(Tag.MERGE)) {
            return Optional.of(FACTORY.textNode(text));
        }
        if (tag.equals(Tag.NULL)) {
            return NULL.matcher(text).matches() ? Optional.of(FACTORY.nullNode()) : Optional.empty();
        }
        if (tag.equals(Tag.BOOL)) {
            if (TRUE.matcher(text).matches()) {
                return Optional.of(FACTORY.booleanNode(true));
            }
            return FALSE.matcher(text).matches() ? Optional.of(FACTORY.booleanNode(false)) : Optional.empty();
        }
        if (tag.equals(Tag.INT)) {
            return integer(text).map(CoreScalars::integerNode);
        }
        if (tag.equals(Tag.FLOAT)) {
            return floatingPoint(text).map(FACTORY::numberNode);
        }
        return Optional.empty();
    }

    private static Optional<BigInteger> integer(String text) {
        if (DECIMAL_INT.matcher(text).matches()) {
            return Optional.of(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
        }
        if (OCTAL_INT.matcher(text).matches()) {
            return Optional.of(new BigInteger(text.substring(2), 8));
        }
        if (HEX_INT.matcher(text).matches()) {
            return Optional.of(new BigInteger(text.substring(2), 16));
        }
        return Optional.empty();
    }

    private static JsonNode integerNode(BigInteger value) {
        if (value.bitLength() < Integer.SIZE) {
            return FACTORY.numberNode(value.intValue());
        }
        if (value.bitLength() < Long.SIZE) {
            return FACTORY.numberNode(value.longValue());
        }
        return FACTORY.numberNode(value);
    }

    private static Optional<Double> floatingPoint(String text) {
        if (FLOAT.matcher(text).matches()) {
            return Optional.of(Double.parseDouble(text));
        }
        var infinity = INFINITY.matcher(text);
        if (infinity.matches()) {
            return Optional.of("-".equals(infinity.group(1)) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return NAN.matcher(text).matches() ? Optional.of(Double.NaN) : Optional.empty();
    }
}
