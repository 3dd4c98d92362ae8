package io.k0rdent.ops.rules;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.LocationIndex;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepositoryRulesTest {

    private static final ClusterDefinitionValidator VALIDATOR = new ClusterDefinitionValidator(ValidationPolicy.defaults());

    private static ValidationResult valid(ClusterYaml c) {
        ValidationResult result = VALIDATOR.validate("clusters/" + c.name() + ".yaml", c.yaml().getBytes(StandardCharsets.UTF_8));
        assertThat(result.problems()).isEmpty();
        return result;
    }

    @Test
    void immutableFieldsPointAtTheNewFilesLine() {
        ValidationResult after = valid(cluster("a").withCidr("10.1.0.0/16"));
        List<ValidationProblem> problems = RepositoryRules.immutableFieldChanges(after.file(),
                valid(cluster("a")).definition(), after.definition(), after.locations());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.IMMUTABLE_FIELD);
            assertThat(p.path()).isEqualTo("$.spec.networking.vpcCidr");
            assertThat(p.line()).isEqualTo(10);
            assertThat(p.message()).isEqualTo("spec.networking.vpcCidr cannot change: 10.0.0.0/16 -> 10.1.0.0/16");
        });
    }

    @Test
    void anUpgradeThatSkipsAMinorVersionIsRejectedNamingTheNextStep() {
        ClusterDefinition before = valid(cluster("a")).definition();
        ValidationResult skipping = valid(cluster("a").withK0sVersion("1.30.2+k0s.0"));

        List<ValidationProblem> problems = RepositoryRules.changeProblems(skipping.file(), before,
                skipping.definition(), skipping.locations());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.VERSION_SKEW);
            assertThat(p.path()).isEqualTo("$.spec.k0s.version");
            assertThat(p.line()).isGreaterThan(0);
            assertThat(p.message()).contains("1.28.3+k0s.0 -> 1.30.2+k0s.0").contains("next 1.29.x");
        });
    }

    @Test
    void oneMinorAtATimePatchesAndDowngradesAreNotVersionSkew() {
        ClusterDefinition before = valid(cluster("a")).definition();
        for (String version : List.of("1.29.1+k0s.0", "1.28.9+k0s.1", "1.28.3+k0s.0", "1.27.5+k0s.0")) {
            ValidationResult after = valid(cluster("a").withK0sVersion(version));
            assertThat(RepositoryRules.versionSkew(after.file(), before, after.definition(), after.locations()))
                    .as(version).isEmpty();
        }
        ValidationResult major = valid(cluster("a").withK0sVersion("2.0.0+k0s.0"));
        assertThat(RepositoryRules.versionSkew(major.file(), before, major.definition(), major.locations()))
                .isPresent();
    }

    @Test
    void overlapOnlyCountsWithinARegionAndNotWithItself() {
        ClusterDefinition a = valid(cluster("a")).definition();
        ClusterDefinition euB = valid(cluster("b").withRegion("eu-west-1")).definition();
        CidrIndex index = CidrIndex.of(List.of(a, euB));

        assertThat(RepositoryRules.cidrOverlap("f", a, index, LocationIndex.empty())).isEmpty();
        assertThat(RepositoryRules.cidrOverlap("f", valid(cluster("c").withCidr("10.0.3.0/24")).definition(), index,
                LocationIndex.empty())).get().extracting(ValidationProblem::rule).isEqualTo(Rule.CIDR_OVERLAP);
        assertThat(RepositoryRules.cidrOverlap("f", valid(cluster("d").withCidr("10.1.0.0/16")).definition(), index,
                LocationIndex.empty())).isEmpty();
    }

    @Test
    void deletionProtectionNamesTheCluster() {
        ValidationProblem p = RepositoryRules.deletionProtected("clusters/a.yaml",
                valid(cluster("a").withDeletionProtection(true)).definition());

        assertThat(p.rule()).isEqualTo(Rule.DELETION_PROTECTED);
        assertThat(p.message()).contains("cluster a");
    }
}
