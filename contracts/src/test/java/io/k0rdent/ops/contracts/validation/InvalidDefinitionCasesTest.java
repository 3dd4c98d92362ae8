package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One mistake at a time in an otherwise valid definition ({@code definitions/valid-dev-cluster.yaml}),
 * each reported as exactly one problem with its rule, path, location and wording.
 */
class InvalidDefinitionCasesTest {

    private static final String FILE = "clusters/dev-cluster-01.yaml";
    private static final String ADVICE = "never commit credentials: remove it, rotate it, and reference it by name instead";
    private static final String QUOTE_IT = "; quote the value so that YAML reads it as text";
    private static final String NOT_A_LABEL = " is not a DNS-1123 label: use lowercase letters, digits and '-',"
            + " and start and end with a letter or digit";
    private static final String NOT_PRIVATE = " is not a private range; use a block inside 10.0.0.0/8, 172.16.0.0/12"
            + " or 192.168.0.0/16 (RFC 1918)";
    private static final String PREFIX_RANGE = " is out of range; use /16 (65,536 addresses) to /24 (256 addresses)";
    private static final String NOT_A_RELEASE = " is not a k0s release; write MAJOR.MINOR.PATCH+k0s.BUILD, e.g. 1.28.3+k0s.0";

    private final ClusterDefinitionValidator validator = new ClusterDefinitionValidator(ValidationPolicy.defaults());

    /** A mistake made by replacing {@code from} with {@code to} in the valid file, and what must be reported. */
    record Case(String from, String to, Rule rule, String path, int line, int column, String message) {
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // Document shape: apiVersion, kind, required and unknown fields.
                named("apiVersion other than v1alpha1", new Case(
                        "apiVersion: k0rdent.io/v1alpha1", "apiVersion: k0rdent.io/v1",
                        Rule.SCHEMA_APIVERSION, "$.apiVersion", 1, 13, "must be 'k0rdent.io/v1alpha1'")),
                named("kind other than Cluster", new Case(
                        "kind: Cluster", "kind: Machine",
                        Rule.SCHEMA_KIND, "$.kind", 2, 7, "must be 'Cluster'")),
                named("kind missing", new Case(
                        "kind: Cluster\n", "",
                        Rule.SCHEMA_REQUIRED, "$.kind", 1, 1, "required property 'kind' is missing")),
                named("metadata.name missing", new Case(
                        "  name: dev-cluster-01\n", "",
                        Rule.SCHEMA_REQUIRED, "$.metadata.name", 3, 1, "required property 'name' is missing")),
                named("spec.region missing", new Case(
                        "  region: us-east-1\n", "",
                        Rule.SCHEMA_REQUIRED, "$.spec.region", 10, 1, "required property 'region' is missing")),
                named("k0s version missing", new Case(
                        "  k0s:\n    version: \"1.28.3+k0s.0\"\n", "  k0s: {}\n",
                        Rule.SCHEMA_REQUIRED, "$.spec.k0s.version", 22, 3, "required property 'version' is missing")),
                named("add-on without enabled", new Case(
                        "    ingress:\n      enabled: true\n", "    ingress: {}\n",
                        Rule.SCHEMA_REQUIRED, "$.spec.addons.ingress.enabled", 27, 5, "required property 'enabled' is missing")),
                named("unknown field in networking", new Case(
                        "    publicIp: true\n", "    publicIp: true\n    cidr: 10.1.0.0/16\n",
                        Rule.SCHEMA_UNKNOWN_FIELD, "$.spec.networking.cidr", 15, 5, "unknown field 'cidr' (allowed: vpcCidr, publicIp, zoneRedundantEgress)")),
                named("unknown top-level field", new Case(
                        "  deletionProtection: false\n", "  deletionProtection: false\nstatus: ready\n",
                        Rule.SCHEMA_UNKNOWN_FIELD, "$.status", 32, 1, "unknown field 'status' (allowed: apiVersion, kind, metadata, spec)")),
                named("unknown add-on", new Case(
                        "    metricsServer:\n", "    dashboard:\n      enabled: true\n    metricsServer:\n",
                        Rule.SCHEMA_UNKNOWN_FIELD, "$.spec.addons.dashboard", 29, 5,
                        "unknown field 'dashboard' (allowed: ingress, metricsServer)")),
                named("unknown field in a node pool", new Case(
                        "      instanceType: t3.large\n", "      instanceType: t3.large\n      spot: true\n",
                        Rule.SCHEMA_UNKNOWN_FIELD, "$.spec.nodes.workers.spot", 22, 7, "unknown field 'spot' (allowed: count, instanceType)")),

                // Types YAML gets wrong without quotes.
                named("k0s version read as a number", new Case(
                        "version: \"1.28.3+k0s.0\"", "version: 1.28",
                        Rule.SCHEMA_TYPE, "$.spec.k0s.version", 23, 14, "must be a string, found a number" + QUOTE_IT)),
                named("vpcCidr read as a number", new Case(
                        "vpcCidr: \"10.0.0.0/16\"", "vpcCidr: 10",
                        Rule.SCHEMA_TYPE, "$.spec.networking.vpcCidr", 13, 14, "must be a string, found a whole number" + QUOTE_IT)),
                named("name read as a number", new Case(
                        "name: dev-cluster-01", "name: 42",
                        Rule.SCHEMA_TYPE, "$.metadata.name", 4, 9, "must be a string, found a whole number" + QUOTE_IT)),
                named("label value read as a boolean", new Case(
                        "    team: engineering", "    team: true",
                        Rule.SCHEMA_TYPE, "$.metadata.labels.team", 7, 11, "must be a string, found a boolean" + QUOTE_IT)),
                named("controller count written as a string", new Case(
                        "      count: 1", "      count: \"3\"",
                        Rule.SCHEMA_TYPE, "$.spec.nodes.controllers.count", 17, 14, "must be a whole number, found a string")),
                named("fractional controller count", new Case(
                        "      count: 1", "      count: 1.5",
                        Rule.SCHEMA_TYPE, "$.spec.nodes.controllers.count", 17, 14, "must be a whole number, found a number")),
                named("publicIp 'yes' is a string in YAML 1.2", new Case(
                        "publicIp: true", "publicIp: yes",
                        Rule.SCHEMA_TYPE, "$.spec.networking.publicIp", 14, 15, "must be true or false, found a string")),
                named("deletionProtection quoted", new Case(
                        "deletionProtection: false", "deletionProtection: \"false\"",
                        Rule.SCHEMA_TYPE, "$.spec.deletionProtection", 31, 23, "must be true or false, found a string")),
                named("spec.nodes not a mapping", new Case(
                        "  ssh:\n    keyName: k0rdent\n", "  ssh: k0rdent\n",
                        Rule.SCHEMA_TYPE, "$.spec.ssh", 24, 8, "must be a mapping, found a string")),

                // Label formats (schema patterns).
                named("label value with a space", new Case(
                        "    team: engineering", "    team: platform engineering",
                        Rule.SCHEMA, "$.metadata.labels.team", 7, 11, "does not have the expected format: at most 63"
                                + " letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)")),
                named("label key with a space", new Case(
                        "    team: engineering", "    my team: engineering",
                        Rule.SCHEMA_UNKNOWN_FIELD, "$.metadata.labels['my team']", 7, 5, "'my team' is not a valid key; expected a"
                                + " Kubernetes-style key: an optional DNS subdomain prefix and '/', then at most 63 letters,"
                                + " digits, '-', '_' or '.', starting and ending with a letter or digit")),

                // metadata.name
                named("uppercase name", new Case(
                        "name: dev-cluster-01", "name: Dev-Cluster-01",
                        Rule.NAME_FORMAT, "$.metadata.name", 4, 9, "'Dev-Cluster-01'" + NOT_A_LABEL)),
                named("name with an underscore", new Case(
                        "name: dev-cluster-01", "name: dev_cluster_01",
                        Rule.NAME_FORMAT, "$.metadata.name", 4, 9, "'dev_cluster_01'" + NOT_A_LABEL)),
                named("name ending with a dash", new Case(
                        "name: dev-cluster-01", "name: dev-cluster-",
                        Rule.NAME_FORMAT, "$.metadata.name", 4, 9, "'dev-cluster-'" + NOT_A_LABEL)),
                named("name longer than 63 characters", new Case(
                        "name: dev-cluster-01", "name: " + "a".repeat(64),
                        Rule.NAME_FORMAT, "$.metadata.name", 4, 9,
                        "must be at most 63 characters long (DNS-1123 label), found 64")),
                named("empty name", new Case(
                        "name: dev-cluster-01", "name: \"\"",
                        Rule.NAME_FORMAT, "$.metadata.name", 4, 9, "must not be empty")),

                // spec.networking.vpcCidr
                named("CIDR missing an octet", new Case(
                        "\"10.0.0.0/16\"", "\"10.0.0/16\"",
                        Rule.CIDR_FORMAT, "$.spec.networking.vpcCidr", 13, 14,
                        "'10.0.0/16' is not an IPv4 CIDR block; write it as a.b.c.d/prefix, e.g. 10.0.0.0/16")),
                named("CIDR octet above 255", new Case(
                        "\"10.0.0.0/16\"", "\"10.300.0.0/16\"",
                        Rule.CIDR_FORMAT, "$.spec.networking.vpcCidr", 13, 14,
                        "'10.300.0.0/16' is not an IPv4 CIDR block; write it as a.b.c.d/prefix, e.g. 10.0.0.0/16")),
                named("CIDR without a prefix", new Case(
                        "\"10.0.0.0/16\"", "\"10.0.0.0\"",
                        Rule.CIDR_FORMAT, "$.spec.networking.vpcCidr", 13, 14,
                        "'10.0.0.0' is not an IPv4 CIDR block; write it as a.b.c.d/prefix, e.g. 10.0.0.0/16")),
                named("public CIDR", new Case(
                        "\"10.0.0.0/16\"", "\"8.8.0.0/16\"",
                        Rule.CIDR_RFC1918, "$.spec.networking.vpcCidr", 13, 14, "8.8.0.0/16" + NOT_PRIVATE)),
                named("CIDR just past 172.16.0.0/12", new Case(
                        "\"10.0.0.0/16\"", "\"172.32.0.0/16\"",
                        Rule.CIDR_RFC1918, "$.spec.networking.vpcCidr", 13, 14, "172.32.0.0/16" + NOT_PRIVATE)),
                named("CIDR with host bits", new Case(
                        "\"10.0.0.0/16\"", "\"10.0.1.0/16\"",
                        Rule.CIDR_FORMAT, "$.spec.networking.vpcCidr", 13, 14,
                        "10.0.1.0/16 has host bits set; did you mean 10.0.0.0/16?")),
                named("CIDR prefix shorter than /16", new Case(
                        "\"10.0.0.0/16\"", "\"10.0.0.0/8\"",
                        Rule.CIDR_PREFIX, "$.spec.networking.vpcCidr", 13, 14, "prefix /8" + PREFIX_RANGE)),
                named("CIDR prefix longer than /24", new Case(
                        "\"10.0.0.0/16\"", "\"192.168.1.0/28\"",
                        Rule.CIDR_PREFIX, "$.spec.networking.vpcCidr", 13, 14, "prefix /28" + PREFIX_RANGE)),

                // Node counts
                named("two controllers", new Case(
                        "      count: 1", "      count: 2",
                        Rule.CONTROLLER_COUNT, "$.spec.nodes.controllers.count", 17, 14, "must be odd, found 2: etcd needs"
                                + " a majority of controllers for quorum, so 2 controllers survive no more failures than 1")),
                named("four controllers", new Case(
                        "      count: 1", "      count: 4",
                        Rule.CONTROLLER_COUNT, "$.spec.nodes.controllers.count", 17, 14, "must be odd, found 4: etcd needs"
                                + " a majority of controllers for quorum, so 4 controllers survive no more failures than 3")),
                named("no controllers", new Case(
                        "      count: 1", "      count: 0",
                        Rule.CONTROLLER_COUNT, "$.spec.nodes.controllers.count", 17, 14,
                        "must be at least 1: the controllers run etcd and the Kubernetes API")),
                named("negative controllers", new Case(
                        "      count: 1", "      count: -3",
                        Rule.CONTROLLER_COUNT, "$.spec.nodes.controllers.count", 17, 14,
                        "must be at least 1: the controllers run etcd and the Kubernetes API")),
                named("negative workers", new Case(
                        "      count: 3", "      count: -1",
                        Rule.WORKER_COUNT, "$.spec.nodes.workers.count", 20, 14, "must not be negative, found -1")),
                named("too many workers", new Case(
                        "      count: 3", "      count: 501",
                        Rule.WORKER_COUNT, "$.spec.nodes.workers.count", 20, 14, "must be at most 500, found 501")),

                // k0s version
                named("k0s version without the k0s suffix", new Case(
                        "\"1.28.3+k0s.0\"", "\"1.28.3\"",
                        Rule.K0S_VERSION, "$.spec.k0s.version", 23, 14, "'1.28.3'" + NOT_A_RELEASE)),
                named("k0s version with a v prefix", new Case(
                        "\"1.28.3+k0s.0\"", "\"v1.28.3+k0s.0\"",
                        Rule.K0S_VERSION, "$.spec.k0s.version", 23, 14, "'v1.28.3+k0s.0'" + NOT_A_RELEASE)),

                // Policy
                named("region that does not exist", new Case(
                        "region: us-east-1", "region: us-east-7",
                        Rule.REGION_NOT_ALLOWED, "$.spec.region", 11, 11, "region 'us-east-7' is not allowed;"
                                + " allowed: us-east-1, us-east-2, us-west-1, us-west-2, af-south-1 and 27 more")),
                named("region in another partition", new Case(
                        "region: us-east-1", "region: us-gov-west-1",
                        Rule.REGION_NOT_ALLOWED, "$.spec.region", 11, 11, "region 'us-gov-west-1' is not allowed;"
                                + " allowed: us-east-1, us-east-2, us-west-1, us-west-2, af-south-1 and 27 more")),
                named("controller instance type too small", new Case(
                        "instanceType: t3.medium", "instanceType: t3.nano",
                        Rule.INSTANCE_TYPE_NOT_ALLOWED, "$.spec.nodes.controllers.instanceType", 18, 21,
                        "instance type 't3.nano' is not allowed;"
                                + " allowed: t3.2xlarge, t3.large, t3.medium, t3.small, t3.xlarge and 16 more")),
                named("worker instance type not offered", new Case(
                        "instanceType: t3.large", "instanceType: p4d.24xlarge",
                        Rule.INSTANCE_TYPE_NOT_ALLOWED, "$.spec.nodes.workers.instanceType", 21, 21,
                        "instance type 'p4d.24xlarge' is not allowed;"
                                + " allowed: c5.2xlarge, c5.4xlarge, c5.large, c5.xlarge, m5.2xlarge and 16 more")),

                // Inline secrets, wherever they are
                named("AWS access key id in an annotation", new Case(
                        "k0rdent.io/owner: platform-team", "k0rdent.io/owner: AKIAIOSFODNN7EXAMPLE",
                        Rule.INLINE_SECRET, "$.metadata.annotations['k0rdent.io/owner']", 9, 23,
                        "looks like an AWS access key id; " + ADVICE)),
                named("AWS secret access key under an aws name", new Case(
                        "k0rdent.io/owner: platform-team", "aws-secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        Rule.INLINE_SECRET, "$.metadata.annotations['aws-secret']", 9, 17,
                        "looks like an AWS secret access key; " + ADVICE)),
                named("GitHub token as a label value", new Case(
                        "    team: engineering", "    team: ghp_" + "a1B2c3D4e5".repeat(4),
                        Rule.INLINE_SECRET, "$.metadata.labels.team", 7, 11, "looks like a GitHub token; " + ADVICE)),
                named("GitLab token in an annotation", new Case(
                        "k0rdent.io/owner: platform-team", "k0rdent.io/owner: glpat-" + "x1Y2z3W4v5".repeat(2),
                        Rule.INLINE_SECRET, "$.metadata.annotations['k0rdent.io/owner']", 9, 23,
                        "looks like a GitLab personal access token; " + ADVICE)),
                named("Slack bot token in an annotation", new Case(
                        "k0rdent.io/owner: platform-team", "k0rdent.io/owner: xoxb-1234567890-abcdefghijkl",
                        Rule.INLINE_SECRET, "$.metadata.annotations['k0rdent.io/owner']", 9, 23,
                        "looks like a Slack token; " + ADVICE)),
                named("Slack webhook in an annotation", new Case(
                        "k0rdent.io/owner: platform-team",
                        "k0rdent.io/alerts: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                        Rule.INLINE_SECRET, "$.metadata.annotations['k0rdent.io/alerts']", 9, 24,
                        "looks like a Slack webhook URL; " + ADVICE)),
                named("private key instead of a key pair name", new Case(
                        "keyName: k0rdent", "keyName: \"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n"
                                + "-----END OPENSSH PRIVATE KEY-----\"",
                        Rule.INLINE_SECRET, "$.spec.ssh.keyName", 25, 14, "looks like a PEM private key; " + ADVICE)),
                named("password as a label", new Case(
                        "    team: engineering", "    password: hunter2",
                        Rule.INLINE_SECRET, "$.metadata.labels.password", 7, 15, "'password' holds an inline secret; " + ADVICE)),
                named("API key in an annotation", new Case(
                        "k0rdent.io/owner: platform-team", "k0rdent.io/apiKey: \"12345\"",
                        Rule.INLINE_SECRET, "$.metadata.annotations['k0rdent.io/apiKey']", 9, 24,
                        "'k0rdent.io/apiKey' holds an inline secret; " + ADVICE)),
                named("AWS access key id as a label key", new Case(
                        "    team: engineering", "    AKIAIOSFODNN7EXAMPLE: engineering",
                        Rule.INLINE_SECRET, "$.metadata.labels", 7, 5,
                        "a key in this mapping looks like an AWS access key id; " + ADVICE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheMistakeAtItsPlace(String description, Case c) {
        ValidationResult result = validator.validate(FILE, TestDefinitions.validWith(c.from(), c.to()));

        assertThat(result.problems())
                .containsExactly(new ValidationProblem(FILE, c.line(), c.column(), c.path(), c.rule(), c.message()));
        assertThat(result.isValid()).isFalse();
        assertThat(result.definition()).isNull();
    }

    private static Arguments named(String description, Case c) {
        return Arguments.of(description, c);
    }
}
