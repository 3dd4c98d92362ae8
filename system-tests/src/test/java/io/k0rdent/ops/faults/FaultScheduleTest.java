package io.k0rdent.ops.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.faults.FaultAction.Arming;
import io.k0rdent.ops.faults.FaultAction.Ec2CallFailures;
import io.k0rdent.ops.faults.FaultAction.IngressRuleRevoked;
import io.k0rdent.ops.faults.FaultAction.SmtpOutage;
import io.k0rdent.ops.faults.FaultAction.Kill;
import io.k0rdent.ops.faults.FaultAction.NetworkStepKills;
import io.k0rdent.ops.faults.FaultAction.Scheduled;
import io.k0rdent.ops.k0ops.up.Service;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static FaultSchedule plan(int kills, long seed) {
        return FaultSchedule.plan(new FaultSuiteSettings(20, kills, seed, Duration.ofMinutes(6), 2), new Random(seed));
    }

    @Test
    void everyReplicaOfAConsumerServiceDiesAtOnceInScaleAndInUpgrade() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Scheduled> whole = plan(8, seed).actions().stream()
                    .filter(s -> s.action() instanceof Kill kill && kill.everyReplica()).toList();
            assertThat(whole).extracting(Scheduled::phase).containsExactlyInAnyOrder(Phase.SCALE, Phase.UPGRADE);
            assertThat(whole).extracting(s -> ((Kill) s.action()).service()).doesNotContain(Service.GITWATCHER);
        }
    }

    @Test
    void everyNetworkStepFailsAndTwoDistinctStepsKillTheProvisionerOneInCreateOneInTheRollback() {
        FaultSchedule schedule = plan(8, 20261125L);
        List<String> failed = schedule.of(Phase.CREATE).stream().map(Scheduled::action)
                .filter(Ec2CallFailures.class::isInstance).map(Ec2CallFailures.class::cast)
                .flatMap(f -> f.actions().stream()).toList();
        assertThat(failed).containsExactlyInAnyOrderElementsOf(FaultSchedule.NETWORK_STEPS);
        List<String> inCreate = networkStepKills(schedule, Phase.CREATE);
        List<String> inRollback = networkStepKills(schedule, Phase.ROLLBACK);
        assertThat(inCreate).hasSize(1);
        assertThat(inRollback).hasSize(1).doesNotContainAnyElementsOf(inCreate);
        assertThat(schedule.of(Phase.CREATE)).filteredOn(s -> s.action() instanceof NetworkStepKills)
                .allMatch(s -> s.delay().compareTo(Duration.ofSeconds(1)) < 0, "armed at the push");
    }

    private static List<String> networkStepKills(FaultSchedule schedule, Phase phase) {
        return schedule.of(phase).stream().map(Scheduled::action).filter(NetworkStepKills.class::isInstance)
                .map(NetworkStepKills.class::cast).flatMap(k -> k.actions().stream()).toList();
    }

    @Test
    void aKeptClusterDriftsOutsideGitDuringTheDeletions() {
        for (long seed = 1; seed <= 20; seed++) {
            assertThat(plan(8, seed).of(Phase.DELETE)).extracting(Scheduled::action)
                    .filteredOn(IngressRuleRevoked.class::isInstance).singleElement()
                    .satisfies(a -> assertThat(((IngressRuleRevoked) a).clusterIndex()).isEven().isBetween(0, 19));
        }
    }

    @Test
    void theSmtpOutageIsHalfAMinuteAtCiSizeAndAMinuteInTheLongRun() {
        assertThat(plan(8, 1L).actions()).extracting(Scheduled::action).filteredOn(SmtpOutage.class::isInstance)
                .singleElement().extracting(a -> ((SmtpOutage) a).duration()).isEqualTo(Duration.ofSeconds(30));
        FaultSchedule longRun = FaultSchedule.plan(new FaultSuiteSettings(200, 40, 1L, Duration.ofMinutes(24), 2),
                new Random(1L));
        assertThat(longRun.actions()).extracting(Scheduled::action).filteredOn(SmtpOutage.class::isInstance)
                .singleElement().extracting(a -> ((SmtpOutage) a).duration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void seedsCoverEveryNetworkStepKill() {
        List<String> covered = Stream.of(20261125L, 7L, 99L, 11L, 3L).flatMap(seed -> plan(8, seed).actions().stream())
                .map(Scheduled::action).filter(NetworkStepKills.class::isInstance).map(NetworkStepKills.class::cast)
                .flatMap(k -> k.actions().stream()).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(FaultSchedule.NETWORK_STEPS);
    }

    @Test
    void aReplicaDiesWhileTheRolledBackClustersComeBack() {
        assertThat(plan(8, 20261125L).of(Phase.ROLLBACK)).extracting(Scheduled::action)
                .filteredOn(Kill.class::isInstance).singleElement();
    }

    @Test
    void onlyMomentsWithACrashPointAreArmed() {
        // Extra kills arm crash points drawn from the service's moments; a kill from outside is not one of them.
        for (long seed = 1; seed <= 20; seed++) {
            plan(40, seed).armings().values().stream().flatMap(List::stream).map(Arming::moment)
                    .forEach(moment -> assertThat(moment.crashPoint()).as(moment.name()).isNotNull());
        }
    }
}
