package io.k0rdent.ops.sandbox.awsmodel;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One shape of an AWS service model, reduced to what a request validator needs: its type, its members with the
 * names they travel under on the wire, what is required, and the model's {@code min}/{@code max}/{@code enum}
 * constraints.
 *
 * @param type     botocore's type: {@code structure}, {@code list}, {@code map}, {@code string}, {@code integer},
 *                 {@code long}, {@code boolean}, {@code timestamp}, {@code blob}, {@code double}, {@code float}
 * @param members  for structures: member name to its shape and wire name, in the model's order
 * @param required for structures: the member names the model marks required
 * @param min      for numbers the smallest value, for strings the shortest length, for lists the fewest items
 * @param max      likewise the largest
 * @param values   for strings with an {@code enum}: the allowed values
 * @param item     for lists: the element shape
 * @param itemWire for lists: the infix between the list's name and the index, {@code null} when the list is
 *                 flattened ({@code Name.1}: every EC2 list, flattened query lists) and {@code member} or the
 *                 element's location name otherwise ({@code Name.member.1})
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ShapeSpec(
        String type,
        Map<String, MemberSpec> members,
        List<String> required,
        Long min,
        Long max,
        List<String> values,
        String item,
        String itemWire) {

    public ShapeSpec {
        members = members == null ? Map.of() : members;
        required = required == null ? List.of() : List.copyOf(required);
        values = values == null ? List.of() : List.copyOf(values);
        itemWire = itemWire == null || itemWire.isEmpty() ? null : itemWire;
    }

    /** A member of a structure: its shape, and the parameter name it is sent under. */
    public record MemberSpec(String shape, String wire) {
    }
}
