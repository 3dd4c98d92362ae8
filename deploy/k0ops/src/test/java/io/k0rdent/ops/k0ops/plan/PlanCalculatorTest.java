package io.k0rdent.ops.k0ops.plan;

import static io.k0rdent.ops.k0ops.plan.PlanFixtures.PRICES;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.applied;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.dev01;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.file;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.valid;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.NodePool;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanCalculatorTest {

    private static final String DEV = "clusters/dev-01.yaml";
    private final PlanCalculator calculator = new PlanCalculator(PRICES);

    private Plan plan(List<ValidationResult> files, Map<String, AppliedCluster> applied) {
        return calculator.plan(files, applied);
    }

    private static ClusterPlan only(Plan plan) {
        assertThat(plan.clusters()).hasSize(1);
        return plan.clusters().get(0);
    }

    private static PoolChange pool(ClusterPlan cluster, String name) {
        return cluster.pools().stream().filter(p -> p.pool().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aNewFileIsACreateThatLaunchesEveryNode() {
        Plan plan = plan(List.of(valid(DEV, dev01())), Map.of());

        ClusterPlan dev = only(plan);
        assertThat(dev.action()).isEqualTo(ClusterPlan.Action.CREATE);
        assertThat(dev.file()).isEqualTo(DEV);
        assertThat(pool(dev, "controllers").launch()).isEqualTo(1);
        assertThat(pool(dev, "workers").launch()).isEqualTo(2);
        assertThat(plan.launch()).isEqualTo(3);
        assertThat(plan.replace() + plan.terminate()).isZero();
        // 730 h × (0.0416 + 2 × 0.0832) = 151.84
        assertThat(dev.current().usd()).isEqualByComparingTo("0");
        assertThat(dev.planned().usd()).isEqualByComparingTo("151.84");
        assertThat(plan.hasChanges()).isTrue();
        assertThat(plan.valid()).isTrue();
    }

    @Test
    void theSameDefinitionIsUnchanged() {
        Plan plan = plan(List.of(valid(DEV, dev01())), Map.of("dev-01", applied(DEV, dev01())));

        ClusterPlan dev = only(plan);
        assertThat(dev.action()).isEqualTo(ClusterPlan.Action.UNCHANGED);
        assertThat(dev.changes()).isEmpty();
        assertThat(dev.pools()).isEmpty();
        assertThat(dev.current()).isEqualTo(dev.planned());
        assertThat(dev.current().usd()).isEqualByComparingTo("151.84");
        assertThat(dev.planned().deltaLabel(dev.current())).isEqualTo("$0.00");
        assertThat(plan.hasChanges()).isFalse();
    }

    @Test
    void keyOrderAndAMovedFileAreNoChange() {
        String reordered = """
                kind: Cluster
                apiVersion: k0rdent.io/v1alpha1
                spec:
                  k0s:
                    version: "1.28.3+k0s.0"
                  region: us-east-1
                  deletionProtection: false
                  ssh:
                    keyName: k0rdent
                  nodes:
                    workers:
                      instanceType: t3.large
                      count: 2
                    controllers:
                      instanceType: t3.medium
                      count: 1
                  networking:
                    publicIp: true
                    vpcCidr: "10.10.0.0/16"
                metadata:
                  labels:
                    team: engineering
                  name: dev-01
                """;

        Plan plan = plan(List.of(valid("clusters/eu/dev.yaml", reordered)), Map.of("dev-01", applied(DEV, dev01())));

        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.UNCHANGED);
    }

    @Test
    void moreWorkersOfTheSameTypeIsAScaleOutWithTheChangedField() {
        String three = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 3, "t3.large", "1.28.3+k0s.0", false);

        ClusterPlan dev = only(plan(List.of(valid(DEV, three)), Map.of("dev-01", applied(DEV, dev01()))));

        assertThat(dev.action()).isEqualTo(ClusterPlan.Action.UPDATE);
        assertThat(dev.changes()).containsExactly(new ChangedField("spec.nodes.workers.count", "2", "3"));
        assertThat(dev.changes().get(0).describe()).isEqualTo("spec.nodes.workers.count: 2 → 3");
        PoolChange workers = pool(dev, "workers");
        assertThat(List.of(workers.launch(), workers.replace(), workers.terminate())).containsExactly(1, 0, 0);
        assertThat(pool(dev, "controllers").changesInstances()).isFalse();
        assertThat(dev.planned().deltaLabel(dev.current())).isEqualTo("+$60.74");
    }

    @Test
    void fewerWorkersIsAScaleInThatTerminatesTheDifference() {
        String one = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 1, "t3.large", "1.28.3+k0s.0", false);

        ClusterPlan dev = only(plan(List.of(valid(DEV, one)), Map.of("dev-01", applied(DEV, dev01()))));

        PoolChange workers = pool(dev, "workers");
        assertThat(List.of(workers.launch(), workers.replace(), workers.terminate())).containsExactly(0, 0, 1);
        assertThat(dev.planned().deltaLabel(dev.current())).isEqualTo("-$60.74");
    }

    @Test
    void aNewWorkerTypeReplacesEveryWorkerAndScalesTheRest() {
        String bigger = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 3, "m5.large", "1.28.3+k0s.0", false);

        ClusterPlan dev = only(plan(List.of(valid(DEV, bigger)), Map.of("dev-01", applied(DEV, dev01()))));

        PoolChange workers = pool(dev, "workers");
        // Slots 0 and 1 get a new m5.large each (replace), slot 2 is new (launch).
        assertThat(List.of(workers.launch(), workers.replace(), workers.terminate())).containsExactly(1, 2, 0);
        assertThat(dev.notes()).anyMatch(n -> n.contains("replaced rolling"));
        // 730 × (0.0416 + 3 × 0.096) = 240.608
        assertThat(dev.planned().label()).isEqualTo("$240.61");
    }

    @Test
    void aNewWorkerTypeWithFewerWorkersReplacesTheKeptOnesAndTerminatesTheRest() {
        String fewer = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 1, "m5.large", "1.28.3+k0s.0", false);

        PoolChange workers = pool(only(plan(List.of(valid(DEV, fewer)), Map.of("dev-01", applied(DEV, dev01())))),
                "workers");

        assertThat(List.of(workers.launch(), workers.replace(), workers.terminate())).containsExactly(0, 1, 1);
    }

    @Test
    void aNewControllerTypeReplacesNoControllerAndCostsTheOldTypeForTheKeptOnes() {
        String bigger = yaml("dev-01", "us-east-1", "10.10.0.0/16", 3, "m5.large", 2, "t3.large", "1.28.3+k0s.0", false);

        ClusterPlan dev = only(plan(List.of(valid(DEV, bigger)), Map.of("dev-01", applied(DEV, dev01()))));

        PoolChange controllers = pool(dev, "controllers");
        assertThat(List.of(controllers.launch(), controllers.replace(), controllers.terminate()))
                .containsExactly(2, 0, 0);
        assertThat(controllers.keepsOldType()).isTrue();
        assertThat(dev.notes()).anyMatch(n -> n.contains("controllers keep their instance type")
                && n.contains("stay t3.medium"));
        // Running: 1 × t3.medium kept + 2 × m5.large new + 2 × t3.large workers
        // = 730 × (0.0416 + 0.192 + 0.1664) = 292.00
        assertThat(dev.planned().usd()).isEqualByComparingTo("292.00");
    }

    @Test
    void aK0sVersionChangeIsAnInPlaceUpgradeWithoutInstanceChanges() {
        String upgraded = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 2, "t3.large", "1.29.1+k0s.0", false);

        ClusterPlan dev = only(plan(List.of(valid(DEV, upgraded)), Map.of("dev-01", applied(DEV, dev01()))));

        assertThat(dev.action()).isEqualTo(ClusterPlan.Action.UPDATE);
        assertThat(dev.changes()).containsExactly(new ChangedField("spec.k0s.version", "1.28.3+k0s.0", "1.29.1+k0s.0"));
        assertThat(dev.launch() + dev.replace() + dev.terminate()).isZero();
        assertThat(dev.notes()).singleElement().asString().contains("upgraded in place");
        assertThat(dev.planned()).isEqualTo(dev.current());
    }

    @Test
    void aRemovedFileIsADeleteThatTerminatesEverything() {
        Plan plan = plan(List.of(), Map.of("dev-01", applied(DEV, dev01())));

        ClusterPlan dev = only(plan);
        assertThat(dev.action()).isEqualTo(ClusterPlan.Action.DELETE);
        assertThat(dev.file()).isEqualTo(DEV);
        assertThat(plan.terminate()).isEqualTo(3);
        assertThat(dev.planned().usd()).isEqualByComparingTo("0");
        assertThat(dev.planned().deltaLabel(dev.current())).isEqualTo("-$151.84");
        assertThat(plan.valid()).isTrue();
    }

    @Test
    void aProtectedClusterIsNotDeletedAndTheRemovalIsAProblem() {
        String protectedDev = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 2, "t3.large",
                "1.28.3+k0s.0", true);

        Plan plan = plan(List.of(), Map.of("dev-01", applied(DEV, protectedDev)));

        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.INVALID);
        assertThat(plan.terminate()).isZero();
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.DELETION_PROTECTED);
            assertThat(p.file()).isEqualTo(DEV);
        });
        assertThat(plan.hasChanges()).isFalse();
    }

    @Test
    void anInvalidFileIsAProblemWithItsLineAndNeverADelete() {
        String broken = dev01().replace("count: 1", "count: 2");

        Plan plan = plan(List.of(file(DEV, broken)), Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.valid()).isFalse();
        assertThat(plan.problems()).anySatisfy(p -> {
            assertThat(p.rule()).isEqualTo(Rule.CONTROLLER_COUNT);
            assertThat(p.toString()).startsWith(DEV + ":14:").contains("$.spec.nodes.controllers.count");
        });
        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.INVALID);
        assertThat(plan.hasChanges()).isFalse();
    }

    @Test
    void anUnreadableFileInTheAppliedPathKeepsTheCluster() {
        Plan plan = plan(List.of(file(DEV, "not: [valid")), Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.valid()).isFalse();
        assertThat(plan.clusters()).singleElement().satisfies(c -> assertThat(c.action())
                .isEqualTo(ClusterPlan.Action.INVALID));
    }

    @Test
    void changingTheRegionOrVpcIsRejectedAsTheGitwatcherWould() {
        String moved = yaml("dev-01", "us-east-1", "10.20.0.0/16", 1, "t3.medium", 3, "t3.large", "1.28.3+k0s.0", false);

        Plan plan = plan(List.of(valid(DEV, moved)), Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.IMMUTABLE_FIELD);
            assertThat(p.line()).isEqualTo(10);
            assertThat(p.message()).contains("10.10.0.0/16 -> 10.20.0.0/16");
        });
        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.INVALID);
        assertThat(plan.launch()).isZero();
    }

    @Test
    void aSecondFileWithTheSameNameIsADuplicateAndTheAppliedFileWins() {
        String three = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 3, "t3.large", "1.28.3+k0s.0", false);

        Plan plan = plan(List.of(valid("clusters/a-copy.yaml", three), valid(DEV, dev01())),
                Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.DUPLICATE_NAME);
            assertThat(p.file()).isEqualTo("clusters/a-copy.yaml");
        });
        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.UNCHANGED);
    }

    @Test
    void aNameChangedInItsFileIsRejectedNotADeleteAndACreate() {
        String renamed = dev01().replace("name: dev-01", "name: dev-02");

        Plan plan = plan(List.of(valid(DEV, renamed)), Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.IMMUTABLE_FIELD);
            assertThat(p.message()).contains("dev-01 -> dev-02");
        });
        assertThat(only(plan).name()).isEqualTo("dev-01");
        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.INVALID);
        assertThat(plan.hasChanges()).isFalse();
    }

    @Test
    void twoNewFilesWithOneNameCreateNeither() {
        String other = yaml("dev-01", "us-east-1", "10.20.0.0/16", 1, "t3.medium", 3, "t3.large", "1.28.3+k0s.0", false);

        Plan plan = plan(List.of(valid(DEV, dev01()), valid("clusters/dev-01-copy.yaml", other)), Map.of());

        assertThat(plan.problems()).extracting(p -> p.rule() + " " + p.file()).containsExactly(
                "DUPLICATE_NAME clusters/dev-01-copy.yaml", "DUPLICATE_NAME " + DEV);
        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.INVALID);
        assertThat(plan.launch()).isZero();
    }

    @Test
    void aVpcBlockOverlappingAnAppliedClusterIsRejected() {
        String overlapping = yaml("prod-01", "us-east-1", "10.10.128.0/17", 1, "t3.medium", 2, "t3.large",
                "1.28.3+k0s.0", false);

        Plan plan = plan(List.of(valid(DEV, dev01()), valid("clusters/prod-01.yaml", overlapping)),
                Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo(Rule.CIDR_OVERLAP);
            assertThat(p.file()).isEqualTo("clusters/prod-01.yaml");
        });
        assertThat(plan.clusters()).extracting(ClusterPlan::action)
                .containsExactly(ClusterPlan.Action.UNCHANGED, ClusterPlan.Action.INVALID);
    }

    @Test
    void anUpgradeThatSkipsAMinorIsRejected() {
        String skipping = dev01().replace("1.28.3+k0s.0", "1.30.1+k0s.0");

        Plan plan = plan(List.of(valid(DEV, skipping)), Map.of("dev-01", applied(DEV, dev01())));

        assertThat(plan.problems()).extracting(p -> p.rule()).containsExactly(Rule.VERSION_SKEW);
        assertThat(only(plan).action()).isEqualTo(ClusterPlan.Action.INVALID);
    }

    @Test
    void anInstanceTypeWithoutAPriceIsUnknownWithAWarningNotAFailure() {
        String unpriced = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 2, "c5.large", "1.28.3+k0s.0", false);

        Plan plan = plan(List.of(valid(DEV, unpriced)), Map.of());

        ClusterPlan dev = only(plan);
        assertThat(dev.planned().complete()).isFalse();
        assertThat(dev.planned().label()).isEqualTo("unknown price");
        assertThat(dev.planned().deltaLabel(dev.current())).isEqualTo("unknown");
        assertThat(dev.planned().unpriced()).containsExactly("us-east-1/c5.large");
        assertThat(plan.warnings()).singleElement().asString().contains("c5.large", "us-east-1", "unknown price");
        // The known part still adds up: the t3.medium controller.
        assertThat(plan.plannedCost().cents()).isEqualByComparingTo("30.37");
    }

    @Test
    void severalClustersAreSortedAndTotalled() {
        String prod = yaml("prod-01", "us-east-1", "10.30.0.0/16", 3, "m5.large", 3, "m5.xlarge", "1.28.3+k0s.0", false);
        String old = yaml("old-01", "us-east-1", "10.40.0.0/16", 1, "t3.medium", 1, "t3.medium", "1.28.3+k0s.0", false);

        Plan plan = plan(List.of(valid(DEV, dev01()), valid("clusters/prod-01.yaml", prod)),
                Map.of("dev-01", applied(DEV, dev01()), "old-01", applied("clusters/old-01.yaml", old)));

        assertThat(plan.clusters()).extracting(ClusterPlan::name).containsExactly("dev-01", "old-01", "prod-01");
        assertThat(plan.clusters()).extracting(ClusterPlan::action).containsExactly(ClusterPlan.Action.UNCHANGED,
                ClusterPlan.Action.DELETE, ClusterPlan.Action.CREATE);
        // current: dev 151.84 + old 60.74; planned: dev 151.84 + prod 730 × (3 × 0.096 + 3 × 0.192) = 630.72
        assertThat(plan.currentCost().cents()).isEqualByComparingTo("212.58");
        assertThat(plan.plannedCost().usd()).isEqualByComparingTo("782.56");
        assertThat(PlanReport.summary(plan)).isEqualTo("Plan: 1 to create, 0 to update, 1 to delete, 1 unchanged."
                + " Instances: 6 to launch, 0 to replace, 2 to terminate.");
    }

    @Test
    void poolRulesOnTheirOwn() {
        NodePool twoLarge = new NodePool(2, "t3.large");
        assertThat(PoolChange.between("workers", twoLarge, twoLarge).changesInstances()).isFalse();
        assertThat(PoolChange.between("workers", null, twoLarge).launch()).isEqualTo(2);
        assertThat(PoolChange.between("workers", twoLarge, null).terminate()).isEqualTo(2);
        assertThat(PoolChange.between("workers", twoLarge, new NodePool(2, "m5.large")).replace()).isEqualTo(2);
        assertThat(PoolChange.between("controllers", new NodePool(3, "t3.large"), new NodePool(1, "m5.large")))
                .satisfies(p -> {
                    assertThat(p.replace()).isZero();
                    assertThat(p.terminate()).isEqualTo(2);
                    assertThat(p.plannedCost(PRICES, "us-east-1").usd()).isEqualByComparingTo(
                            new BigDecimal("60.736"));
                });
    }
}
