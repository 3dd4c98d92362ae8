package io.k0rdent.ops.rules;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The verdicts themselves. How the gitwatcher publishes them is {@code ChangePlannerTest}'s; that {@code k0ops plan}
 * and the gitwatcher agree over many commits is {@code RulesAgreementTest}'s.
 */
class CommitRulesTest {

    private static final ClusterDefinitionValidator VALIDATOR = new ClusterDefinitionValidator(ValidationPolicy.defaults());

    private final CommitRules rules = new CommitRules();

    private static ValidationResult file(String path, String yaml) {
        return VALIDATOR.validate(path, yaml);
    }

    private static AcceptedDefinition accepted(String path, ClusterYaml c) {
        ValidationResult r = file(path, c.yaml());
        assertThat(r.problems()).isEmpty();
        return new AcceptedDefinition(c.name(), path, r.definition());
    }

    private static List<String> summary(List<Verdict> verdicts) {
        return verdicts.stream().map(CommitRulesTest::describe).toList();
    }

    private static String describe(Verdict v) {
        String kind = v.getClass().getSimpleName().toLowerCase();
        if (v instanceof Verdict.Rejected r) {
            return kind + " " + r.name() + " " + r.path() + " "
                    + r.problems().stream().map(ValidationProblem::rule).toList() + (r.repeated() ? " repeated" : "");
        }
        return kind + " " + v.name() + " " + v.path();
    }

    @Test
    void aTreeAgainstTheAcceptedStateIsCreatesUpdatesDeletesAndUnchanged() {
        AcceptedDefinitions state = AcceptedDefinitions.of(List.of(
                accepted("clusters/a.yaml", cluster("a")),
                accepted("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16")),
                accepted("clusters/gone.yaml", cluster("gone").withCidr("10.2.0.0/16"))));
        Map<String, ValidationResult> tree = new TreeMap<>(Map.of(
                "clusters/a.yaml", file("clusters/a.yaml", cluster("a").yaml()),
                "clusters/b.yaml", file("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16").withWorkers(5).yaml()),
                "clusters/new.yaml", file("clusters/new.yaml", cluster("new").withCidr("10.3.0.0/16").yaml())));

        List<Verdict> verdicts = rules.decideTree(state, tree);

        assertThat(summary(verdicts)).containsExactly("unchanged a clusters/a.yaml", "update b clusters/b.yaml",
                "delete gone clusters/gone.yaml", "create new clusters/new.yaml");
        Verdict.Update update = (Verdict.Update) verdicts.get(1);
        assertThat(update.previousPath()).isNull();
        assertThat(update.changes()).extracting(FieldChange::path).containsExactly("$.spec.nodes.workers.count");
    }

    @Test
    void aNameChangedInItsFileIsAnImmutableFieldAndTheClusterStays() {
        AcceptedDefinitions state = AcceptedDefinitions.of(List.of(accepted("clusters/a.yaml", cluster("a"))));

        List<Verdict> verdicts = rules.decideTree(state,
                Map.of("clusters/a.yaml", file("clusters/a.yaml", cluster("z").yaml())));

        assertThat(summary(verdicts)).containsExactly("rejected z clusters/a.yaml [IMMUTABLE_FIELD]",
                "unchanged a clusters/a.yaml");
        assertThat(((Verdict.Rejected) verdicts.get(0)).accepted()).isEqualTo("a");
        assertThat(((Verdict.Rejected) verdicts.get(0)).problems().get(0).message()).contains("a -> z");
    }

    @Test
    void twoNewFilesWithOneNameOrOverlappingBlocksAreBothRejected() {
        Map<String, ValidationResult> tree = new TreeMap<>(Map.of(
                "clusters/a.yaml", file("clusters/a.yaml", cluster("a").yaml()),
                "clusters/a2.yaml", file("clusters/a2.yaml", cluster("a").withCidr("10.9.0.0/16").yaml()),
                "clusters/b.yaml", file("clusters/b.yaml", cluster("b").withCidr("10.5.0.0/16").yaml()),
                "clusters/c.yaml", file("clusters/c.yaml", cluster("c").withCidr("10.5.128.0/17").yaml())));

        assertThat(summary(rules.decideTree(AcceptedDefinitions.of(List.of()), tree))).containsExactly(
                "rejected a clusters/a.yaml [DUPLICATE_NAME]", "rejected a clusters/a2.yaml [DUPLICATE_NAME]",
                "rejected b clusters/b.yaml [CIDR_OVERLAP]", "rejected c clusters/c.yaml [CIDR_OVERLAP]");
    }

    @Test
    void aSkippedMinorIsRejectedAndOneMinorIsAnUpdate() {
        AcceptedDefinitions state = AcceptedDefinitions.of(List.of(accepted("clusters/a.yaml", cluster("a"))));

        assertThat(summary(rules.decideTree(state, Map.of("clusters/a.yaml",
                file("clusters/a.yaml", cluster("a").withK0sVersion("1.30.1+k0s.0").yaml())))))
                .containsExactly("rejected a clusters/a.yaml [VERSION_SKEW]", "unchanged a clusters/a.yaml");
        assertThat(summary(rules.decideTree(state, Map.of("clusters/a.yaml",
                file("clusters/a.yaml", cluster("a").withK0sVersion("1.29.1+k0s.0").yaml())))))
                .containsExactly("update a clusters/a.yaml");
    }

    @Test
    void removingAProtectedClustersFileIsRejectedAndKeepsIt() {
        AcceptedDefinitions state = AcceptedDefinitions.of(List.of(
                accepted("clusters/a.yaml", cluster("a").withDeletionProtection(true))));

        List<Verdict> verdicts = rules.decideTree(state, Map.of());

        assertThat(summary(verdicts)).containsExactly("rejected a clusters/a.yaml [DELETION_PROTECTED]",
                "unchanged a clusters/a.yaml");
    }

    @Test
    void aStandingDuplicateIsRepeatedWhileItsConflictLastsAndTakesOverWhenItGoes() {
        AcceptedDefinitions state = AcceptedDefinitions.of(List.of(accepted("clusters/a.yaml", cluster("a"))));
        DefinitionChange copy = DefinitionChange.added("clusters/a-copy.yaml",
                file("clusters/a-copy.yaml", cluster("a").withWorkers(4).yaml()));
        DefinitionChange other = DefinitionChange.added("clusters/b.yaml",
                file("clusters/b.yaml", cluster("b").withCidr("10.1.0.0/16").yaml()));

        List<Verdict> stillThere = rules.decide(state, List.of(other), List.of(copy),
                p -> List.of("clusters/a.yaml", "clusters/a-copy.yaml", "clusters/b.yaml").contains(p));
        List<Verdict> gone = rules.decide(state, List.of(DefinitionChange.deleted("clusters/a.yaml")), List.of(copy),
                p -> p.equals("clusters/a-copy.yaml"));

        assertThat(summary(stillThere)).containsExactly(
                "rejected a clusters/a-copy.yaml [DUPLICATE_NAME] repeated", "create b clusters/b.yaml");
        assertThat(summary(gone)).containsExactly("update a clusters/a-copy.yaml");
        assertThat(((Verdict.Update) gone.get(0)).previousPath()).isEqualTo("clusters/a.yaml");
    }

    @Test
    void anUnreadableNewFileIsRejectedUnderItsPath() {
        List<Verdict> verdicts = rules.decideTree(AcceptedDefinitions.of(List.of()),
                Map.of("clusters/x.yaml", file("clusters/x.yaml", "metadata: [name: x\n")));

        assertThat(verdicts).singleElement().isInstanceOfSatisfying(Verdict.Rejected.class, r -> {
            assertThat(r.name()).isEqualTo("clusters/x.yaml");
            assertThat(r.accepted()).isNull();
            assertThat(r.problems()).extracting(ValidationProblem::rule).contains(Rule.YAML_SYNTAX);
        });
    }

    @Test
    void standingFilesAreTheUnchangedOnesThatHoldNoAcceptedCluster() {
        AcceptedDefinitions state = AcceptedDefinitions.of(List.of(accepted("clusters/a.yaml", cluster("a"))));

        List<String> standing = StandingRejections.select(state,
                List.of("clusters/a.yaml", "clusters/b.yaml", "clusters/c.yaml"), List.of("clusters/c.yaml"));

        assertThat(standing).containsExactly("clusters/b.yaml");
    }
}
