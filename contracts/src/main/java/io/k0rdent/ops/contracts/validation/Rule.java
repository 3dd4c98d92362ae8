package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every rule a cluster definition, or a change to one, can break. The {@link #id()} strings are part
 * of the event contract ({@code ClusterDefinitionRejected.problems[].rule}); only add to this list.
 */
public enum Rule {
    /** Not well-formed YAML, or not exactly one document. */
    YAML_SYNTAX("yaml-syntax"),
    /** Over the size, nesting or alias limits of the safe loader. */
    YAML_LIMITS("yaml-limits"),
    /** A JSON Schema violation: missing field, wrong type, unknown field, bad enum value. */
    SCHEMA("schema"),
    NAME_FORMAT("name-format"),
    CIDR("cidr"),
    CONTROLLER_COUNT("controller-count"),
    WORKER_COUNT("worker-count"),
    K0S_VERSION("k0s-version"),
    REGION_NOT_ALLOWED("region-not-allowed"),
    INSTANCE_TYPE_NOT_ALLOWED("instance-type-not-allowed"),
    /** A credential anywhere in the file: a value, a key, or the raw text of a comment. */
    INLINE_SECRET("inline-secret"),
    // Repository-wide and change rules, applied by the gitwatcher with the same problem shape.
    DUPLICATE_NAME("duplicate-name"),
    CIDR_OVERLAP("cidr-overlap"),
    IMMUTABLE_FIELD("immutable-field"),
    DELETION_PROTECTED("deletion-protected"),
    /** An upgrade of {@code spec.k0s.version} that skips a Kubernetes minor version. */
    VERSION_SKEW("version-skew");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }
}
