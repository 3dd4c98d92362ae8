package io.k0rdent.ops.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One changed field of a definition.
 *
 * @param path     JSON path, e.g. {@code $.spec.nodes.workers.count}
 * @param oldValue the previous value; {@code null} when the field was added
 * @param newValue the new value; {@code null} when the field was removed
 */
public record FieldChange(String path, JsonNode oldValue, JsonNode newValue) {
}
