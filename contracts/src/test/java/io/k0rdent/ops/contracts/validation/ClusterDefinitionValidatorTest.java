package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.k0rdent.ops.contracts.definition.Addon;
import io.k0rdent.ops.contracts.definition.Addons;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.definition.ClusterMetadata;
import io.k0rdent.ops.contracts.definition.ClusterSpec;
import io.k0rdent.ops.contracts.definition.K0sSpec;
import io.k0rdent.ops.contracts.definition.Networking;
import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.definition.Nodes;
import io.k0rdent.ops.contracts.definition.SshSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ClusterDefinitionValidatorTest {

    private static final String FILE = "clusters/dev-cluster-01.yaml";

    private final ClusterDefinitionValidator validator = new ClusterDefinitionValidator(ValidationPolicy.defaults());

    @Test
    void validFileHasNoProblemsAndGivesTheRecords() {
        ValidationResult result = validator.validate(FILE, TestDefinitions.text(TestDefinitions.VALID));

        assertThat(result.problems()).isEmpty();
        assertThat(result.isValid()).isTrue();
        assertThat(result.file()).isEqualTo(FILE);
        assertThat(result.clusterName()).isEqualTo("dev-cluster-01");
        assertThat(result.definition()).isEqualTo(new ClusterDefinition(
                "k0rdent.io/v1alpha1",
                "Cluster",
                new ClusterMetadata("dev-cluster-01",
                        Map.of("environment", "development", "team", "engineering"),
                        Map.of("k0rdent.io/owner", "platform-team")),
                new ClusterSpec(
                        "us-east-1",
                        new Networking("10.0.0.0/16", true),
                        new Nodes(new NodePool(1, "t3.medium"), new NodePool(3, "t3.large")),
                        new K0sSpec("1.28.3+k0s.0"),
                        new SshSpec("k0rdent"),
                        new Addons(new Addon(true), new Addon(true)),
                        false)));
    }

    @Test
    void zoneRedundantEgressAndTheRootVolumeSizeAreOptionalAndChecked() {
        String valid = TestDefinitions.text(TestDefinitions.VALID)
                .replace("    publicIp: true\n", "    publicIp: false\n    zoneRedundantEgress: true\n")
                .replace("  nodes:\n", "  nodes:\n    rootVolumeGiB: 100\n");

        ValidationResult result = validator.validate(FILE, valid);

        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().spec().networking().zoneRedundant()).isTrue();
        assertThat(result.definition().spec().nodes().rootVolumeGiB()).isEqualTo(100);
        assertThat(validator.validate(FILE, TestDefinitions.text(TestDefinitions.VALID)).definition().spec()
                .nodes().rootVolumeGiB()).as("absent: the platform's default").isNull();

        String tooSmall = valid.replace("rootVolumeGiB: 100", "rootVolumeGiB: 8")
                .replace("zoneRedundantEgress: true", "zoneRedundantEgress: sometimes");
        assertThat(validator.validate(FILE, tooSmall).problems())
                .extracting(p -> p.path(), p -> p.rule().id())
                .containsExactly(tuple("$.spec.networking.zoneRedundantEgress", "schema-type"),
                        tuple("$.spec.nodes.rootVolumeGiB", "schema"));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        ValidationResult result = validator.validate("clusters/flow.yaml", TestDefinitions.text("valid-flow-style.yaml"));

        assertThat(result.problems()).isEmpty();
        ClusterDefinition definition = result.definition();
        assertThat(definition.name()).isEqualTo("dev-cluster-01");
        assertThat(definition.metadata().annotations()).isEmpty();
        assertThat(definition.spec().addons()).isEqualTo(Addons.NONE);
        assertThat(definition.spec().deletionProtection()).isFalse();
        assertThat(definition.spec().nodes().total()).isEqualTo(4);
    }

    @Test
    void bytesAndStreamsGiveTheSameResultAsText() throws IOException {
        byte[] bytes = TestDefinitions.bytes(TestDefinitions.VALID);
        ValidationResult fromText = validator.validate(FILE, TestDefinitions.text(TestDefinitions.VALID));

        assertThat(validator.validate(FILE, bytes).definition()).isEqualTo(fromText.definition());
        assertThat(validator.validate(FILE, new ByteArrayInputStream(bytes)).definition()).isEqualTo(fromText.definition());
    }

    @Test
    void reportsEveryProblemOfAFileAtOnceInLineOrder() {
        String file = "clusters/prod.yaml";

        ValidationResult result = validator.validate(file, TestDefinitions.text("invalid-many-problems.yaml"));

        assertThat(result.problems()).containsExactly(
                new ValidationProblem(file, 4, 9, "$.metadata.name", Rule.NAME_FORMAT,
                        "'Prod_Cluster' is not a DNS-1123 label: use lowercase letters, digits and '-',"
                                + " and start and end with a letter or digit"),
                new ValidationProblem(file, 7, 1, "$.spec.region", Rule.SCHEMA_REQUIRED, "required property 'region' is missing"),
                new ValidationProblem(file, 9, 14, "$.spec.networking.vpcCidr", Rule.CIDR_FORMAT,
                        "10.0.1.0/16 has host bits set; did you mean 10.0.0.0/16?"),
                new ValidationProblem(file, 10, 5, "$.spec.networking.cidr", Rule.SCHEMA_UNKNOWN_FIELD,
                        "unknown field 'cidr' (allowed: vpcCidr, publicIp, zoneRedundantEgress)"),
                new ValidationProblem(file, 13, 14, "$.spec.nodes.controllers.count", Rule.CONTROLLER_COUNT,
                        "must be odd, found 2: etcd needs a majority of controllers for quorum,"
                                + " so 2 controllers survive no more failures than 1"),
                new ValidationProblem(file, 19, 14, "$.spec.k0s.version", Rule.SCHEMA_TYPE,
                        "must be a string, found a number; quote the value so that YAML reads it as text"));
        assertThat(result.definition()).isNull();
        // Rejections are keyed by cluster, so the name is read even from an invalid file.
        assertThat(result.clusterName()).isEqualTo("Prod_Cluster");
        assertThat(result.problems().get(0))
                .hasToString("clusters/prod.yaml:4:9: $.metadata.name: 'Prod_Cluster' is not a DNS-1123 label:"
                        + " use lowercase letters, digits and '-', and start and end with a letter or digit [name-format]");
    }

    @Test
    void locationsOfTheFileAreExposedForLaterRules() {
        ValidationResult result = validator.validate(FILE, TestDefinitions.text(TestDefinitions.VALID));
        LocationIndex locations = result.locations();

        assertThat(locations.find(DefinitionPaths.VPC_CIDR)).contains(new SourceLocation(13, 14));
        assertThat(locations.findKey(DefinitionPaths.VPC_CIDR)).contains(new SourceLocation(13, 5));
        assertThat(locations.find(DefinitionPaths.NAME)).contains(new SourceLocation(4, 9));
        assertThat(locations.find(DefinitionPaths.SPEC)).contains(new SourceLocation(10, 1));
        assertThat(locations.find(JsonPaths.ROOT)).contains(new SourceLocation(1, 1));
        assertThat(locations.find(JsonPaths.child(DefinitionPaths.ANNOTATIONS, "k0rdent.io/owner")))
                .contains(new SourceLocation(9, 23));
        assertThat(locations.find("$.spec.nothing")).isEmpty();
    }

    @Test
    void fileThatIsNotYamlHasOnlyItsSyntaxProblemAndNoName() {
        ValidationResult result = validator.validate(FILE, "metadata:\n  name: dev\n  labels: {team: a\n");

        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).rule()).isEqualTo(Rule.YAML_SYNTAX);
        assertThat(result.clusterName()).isNull();
        assertThat(result.definition()).isNull();
        assertThat(result.locations().size()).isZero();
    }

    @Test
    void documentThatIsNotAMappingIsASchemaProblem() {
        ValidationResult result = validator.validate(FILE, "- apiVersion: k0rdent.io/v1alpha1\n");

        assertThat(result.problems()).containsExactly(
                new ValidationProblem(FILE, 1, 1, "$", Rule.SCHEMA_TYPE, "must be a mapping, found a list"));
        assertThat(result.clusterName()).isNull();
    }

    @Test
    void secretsAreReportedButNeverEchoed() {
        String githubToken = "ghp_" + "Zq8x".repeat(9);
        String accessKeyId = "AKIAIOSFODNN7EXAMPLE";
        String secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String password = "correct-horse-battery-staple";
        String yaml = """
                apiVersion: k0rdent.io/v1alpha1
                kind: Cluster
                metadata:
                  name: %s
                  annotations:
                    aws-secret-access-key: %s
                    db-password: %s
                spec:
                  %s: leaked-as-a-key
                  region: us-east-1
                  networking: {vpcCidr: "10.0.0.0/16"}
                  nodes:
                    controllers: {count: 1, instanceType: t3.medium}
                    workers: {count: 0, instanceType: t3.large}
                  k0s: {version: "1.28.3+k0s.0"}
                  ssh: {keyName: k0rdent}
                """.formatted(githubToken, secretKey, password, accessKeyId);

        ValidationResult result = validator.validate(FILE, yaml);

        assertThat(result.problems()).extracting(ValidationProblem::rule).containsExactly(
                Rule.INLINE_SECRET, Rule.INLINE_SECRET, Rule.INLINE_SECRET, Rule.INLINE_SECRET, Rule.SCHEMA_UNKNOWN_FIELD);
        assertThat(result.problems()).extracting(ValidationProblem::path).containsExactly(
                "$.metadata.name",
                "$.metadata.annotations['aws-secret-access-key']",
                "$.metadata.annotations['db-password']",
                "$.spec",
                "$.spec.<redacted>");
        assertThat(result.problems().get(4).message()).isEqualTo(
                "unknown field '<redacted>' (allowed: region, networking, nodes, k0s, ssh, addons, deletionProtection)");
        for (String secret : List.of(githubToken, accessKeyId, secretKey, password)) {
            assertThat(result.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain(secret));
        }
        // A name that is a secret must not become a Kafka key either.
        assertThat(result.clusterName()).isNull();
    }

    @Test
    void aSecretInACommentIsReportedAtItsLineAndColumnWithoutItsValue() {
        // Issue 16: an AWS secret access key in a YAML comment was accepted and the cluster provisioned.
        String secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String text = TestDefinitions.text(TestDefinitions.VALID) + "# aws_secret_access_key = " + secretKey + "\n"
                + "# and the id: AKIAIOSFODNN7EXAMPLE\n";
        int line = (int) TestDefinitions.text(TestDefinitions.VALID).lines().count() + 1;

        for (ValidationResult result : List.of(validator.validate(FILE, text),
                validator.validate(FILE, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            assertThat(result.definition()).isNull();
            assertThat(result.problems()).extracting(ValidationProblem::rule).containsOnly(Rule.INLINE_SECRET);
            assertThat(result.problems()).extracting(ValidationProblem::line, ValidationProblem::column)
                    .containsExactly(tuple(line, 27), tuple(line + 1, 15));
            assertThat(result.problems()).allSatisfy(p -> {
                assertThat(p.message()).doesNotContain(secretKey).doesNotContain("AKIAIOSFODNN7EXAMPLE")
                        .contains("comments are committed too");
                assertThat(p.path()).isEqualTo("$");
            });
            assertThat(result.clusterName()).isEqualTo("dev-cluster-01");
        }
    }

    @Test
    void ordinaryCommentsAndCommitIdsAreNotSecrets() {
        String text = "# Owner: platform team; see https://wiki.example.com/clusters\n"
                + "# last reviewed at 9fceb02d0ae598e95dc970b74767f19372d61af8\n"
                + TestDefinitions.text(TestDefinitions.VALID);

        assertThat(validator.validate(FILE, text).problems()).isEmpty();
    }

    @Test
    void allowListsComeFromThePolicy() {
        ClusterDefinitionValidator strict = new ClusterDefinitionValidator(
                new ValidationPolicy(Set.of("eu-west-1"), Set.of("m6i.large", "m6i.xlarge")));

        ValidationResult result = strict.validate(FILE, TestDefinitions.text(TestDefinitions.VALID));

        assertThat(result.problems()).containsExactly(
                new ValidationProblem(FILE, 11, 11, "$.spec.region", Rule.REGION_NOT_ALLOWED,
                        "region 'us-east-1' is not allowed; allowed: eu-west-1"),
                new ValidationProblem(FILE, 18, 21, "$.spec.nodes.controllers.instanceType", Rule.INSTANCE_TYPE_NOT_ALLOWED,
                        "instance type 't3.medium' is not allowed; allowed: m6i.large, m6i.xlarge"),
                new ValidationProblem(FILE, 21, 21, "$.spec.nodes.workers.instanceType", Rule.INSTANCE_TYPE_NOT_ALLOWED,
                        "instance type 't3.large' is not allowed; allowed: m6i.large, m6i.xlarge"));
    }

    @Test
    void widerPolicyAcceptsWhatTheDefaultsRefuse() {
        String yaml = TestDefinitions.validWith("region: us-east-1", "region: us-gov-west-1");
        ValidationPolicy govCloud = ValidationPolicy.defaults()
                .withAllowedRegions(Set.of("us-gov-west-1", "us-gov-east-1"));

        assertThat(validator.validate(FILE, yaml).isValid()).isFalse();
        assertThat(new ClusterDefinitionValidator(govCloud).validate(FILE, yaml).definition().spec().region())
                .isEqualTo("us-gov-west-1");
    }

    @Test
    void emptyPolicyAllowsNothingAndSaysSo() {
        ClusterDefinitionValidator closed = new ClusterDefinitionValidator(
                ValidationPolicy.defaults().withAllowedRegions(Set.of()));

        ValidationResult result = closed.validate(FILE, TestDefinitions.text(TestDefinitions.VALID));

        assertThat(result.problems()).containsExactly(new ValidationProblem(FILE, 11, 11, "$.spec.region",
                Rule.REGION_NOT_ALLOWED, "region 'us-east-1' is not allowed; the platform policy allows none"));
    }

    @Test
    void wholeNumberWrittenAsFloatIsAcceptedAsACount() {
        ValidationResult result = validator.validate(FILE, TestDefinitions.validWith("      count: 3", "      count: 3.0"));

        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().spec().nodes().workers().count()).isEqualTo(3);
    }

    @Test
    void zeroWorkersIsAllowed() {
        ValidationResult result = validator.validate(FILE, TestDefinitions.validWith("      count: 3", "      count: 0"));

        assertThat(result.problems()).isEmpty();
    }

    @Test
    void yamlProblemsStillReportSecretsAndTheName() {
        String yaml = """
                apiVersion: k0rdent.io/v1alpha1
                kind: Cluster
                metadata:
                  name: dev
                  annotations:
                    slack: https://hooks.slack.com/services/T000/B000/abcdef
                metadata:
                  name: other
                """;

        ValidationResult result = validator.validate(FILE, yaml);

        assertThat(result.problems()).containsExactly(
                new ValidationProblem(FILE, 6, 12, "$.metadata.annotations.slack", Rule.INLINE_SECRET,
                        "looks like a Slack webhook URL; never commit credentials: remove it, rotate it,"
                                + " and reference it by name instead"),
                new ValidationProblem(FILE, 7, 1, "$.metadata", Rule.YAML_DUPLICATE_KEY,
                        "duplicate key 'metadata' (first defined on line 3)"));
        assertThat(result.clusterName()).isEqualTo("dev");
    }

    @Test
    void yamlBombIsRejectedWithoutBeingExpanded() {
        // Returning at all is the point: expanded, this file would hold 10^9 strings.
        ValidationResult result = validator.validate(FILE, TestDefinitions.bytes("billion-laughs.yaml"));

        assertThat(result.problems()).extracting(ValidationProblem::rule, ValidationProblem::line)
                .containsExactly(Tuple.tuple(Rule.YAML_ALIAS_BOMB, 9));
        assertThat(result.clusterName()).isNull();
        assertThat(result.definition()).isNull();
    }

    @Test
    void schemaResourceIsPublishedOnTheClasspath() {
        assertThat(ClusterDefinitionValidator.class.getResource(ClusterDefinitionValidator.SCHEMA_RESOURCE)).isNotNull();
    }
}
