package io.k0rdent.ops.contracts.validation;

/**
 * JSON paths of the fields rules talk about, as they appear in {@link ValidationProblem#path()} and
 * as keys of {@link LocationIndex}. Repository-wide rules (duplicate names, overlapping CIDRs,
 * immutable fields) use them to point at the same places as the per-file validator.
 */
public final class DefinitionPaths {

    public static final String API_VERSION = JsonPaths.of("apiVersion");
    public static final String KIND = JsonPaths.of("kind");
    public static final String METADATA = JsonPaths.of("metadata");
    public static final String NAME = JsonPaths.of("metadata", "name");
    public static final String LABELS = JsonPaths.of("metadata", "labels");
    public static final String ANNOTATIONS = JsonPaths.of("metadata", "annotations");
    public static final String SPEC = JsonPaths.of("spec");
    public static final String REGION = JsonPaths.of("spec", "region");
    public static final String VPC_CIDR = JsonPaths.of("spec", "networking", "vpcCidr");
    public static final String PUBLIC_IP = JsonPaths.of("spec", "networking", "publicIp");
    public static final String CONTROLLER_COUNT = JsonPaths.of("spec", "nodes", "controllers", "count");
    public static final String CONTROLLER_INSTANCE_TYPE = JsonPaths.of("spec", "nodes", "controllers", "instanceType");
    public static final String WORKER_COUNT = JsonPaths.of("spec", "nodes", "workers", "count");
    public static final String WORKER_INSTANCE_TYPE = JsonPaths.of("spec", "nodes", "workers", "instanceType");
    public static final String K0S_VERSION = JsonPaths.of("spec", "k0s", "version");
    public static final String SSH_KEY_NAME = JsonPaths.of("spec", "ssh", "keyName");
    public static final String DELETION_PROTECTION = JsonPaths.of("spec", "deletionProtection");

    private DefinitionPaths() {
    }
}
