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
    VERSION_SKEW("version-skew"),
    // Finer ids for CI tools to filter on; the coarse ones above remain for what none of these covers.
    /** A required field is missing; reported at the field's own path. */
    SCHEMA_REQUIRED("schema-required"),
    /** A value of the wrong type (a number where a string belongs, ...). */
    SCHEMA_TYPE("schema-type"),
    /** A field the schema does not have, or a key that is not a valid name. */
    SCHEMA_UNKNOWN_FIELD("schema-unknown-field"),
    /** {@code kind} is not {@code Cluster}. */
    SCHEMA_KIND("schema-kind"),
    /** {@code apiVersion} is not {@code k0rdent.io/v1alpha1}. */
    SCHEMA_APIVERSION("schema-apiversion"),
    /** {@code vpcCidr} is not written as an IPv4 network block (syntax, or host bits set). */
    CIDR_FORMAT("cidr-format"),
    /** {@code vpcCidr}'s prefix is outside /16../24. */
    CIDR_PREFIX("cidr-prefix"),
    /** {@code vpcCidr} is not inside an RFC 1918 private range. */
    CIDR_RFC1918("cidr-rfc1918"),
    /** The file is not UTF-8 text (UTF-16/UTF-32 named as such, or an invalid byte). */
    ENCODING("encoding"),
    /** A mapping has the same key twice. */
    YAML_DUPLICATE_KEY("yaml-duplicate-key"),
    /** More than one YAML document in the file. */
    SINGLE_DOCUMENT("single-document"),
    /** No YAML document in the file. */
    EMPTY_DOCUMENT("empty-document"),
    /** The file is larger than the size limit. */
    FILE_TOO_LARGE("file-too-large"),
    /** Aliases that expand into too many nodes (a billion-laughs document), or refer to themselves. */
    YAML_ALIAS_BOMB("yaml-alias-bomb"),
    /** Mappings and sequences nested deeper than the limit. */
    YAML_NESTING_DEPTH("yaml-nesting-depth");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }
}
