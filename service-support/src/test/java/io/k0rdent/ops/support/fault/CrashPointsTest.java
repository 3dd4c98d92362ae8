package io.k0rdent.ops.support.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CrashPointsTest {

    private final AtomicInteger halts = new AtomicInteger();

    @Test
    void theArmedPointHaltsOnItsCrashAfterPassOnly() {
        CrashPoints points = new CrashPoints(CrashPoint.AFTER_LAUNCH, 3, halts::incrementAndGet);

        points.reach(CrashPoint.AFTER_LAUNCH, () -> "pass 1");
        points.reach(CrashPoint.AFTER_LAUNCH, () -> "pass 2");
        assertThat(halts).hasValue(0);
        points.reach(CrashPoint.AFTER_LAUNCH, () -> "pass 3");
        assertThat(halts).hasValue(1);
        points.reach(CrashPoint.AFTER_LAUNCH, () -> "pass 4");
        assertThat(halts).as("a halted process does not pass again; a fake halt must not fire twice").hasValue(1);
    }

    @Test
    void otherPointsNeitherHaltNorCountAsPassesOfTheArmedOne() {
        CrashPoints points = new CrashPoints(CrashPoint.BEFORE_OFFSET_COMMIT, 2, halts::incrementAndGet);

        points.reach(CrashPoint.AFTER_RECORDED, () -> "other");
        points.reach(CrashPoint.AFTER_HANDLED, () -> "other");
        points.reach(CrashPoint.BEFORE_OFFSET_COMMIT, () -> "pass 1");
        assertThat(halts).hasValue(0);
        points.reach(CrashPoint.BEFORE_OFFSET_COMMIT, () -> "pass 2");
        assertThat(halts).hasValue(1);
    }

    @Test
    void configurationNamesThePointsAsTheFaultSuiteDoesAndRejectsUnknownOnes() {
        assertThat(CrashPoints.armed("after-launch", 1).armed()).contains(CrashPoint.AFTER_LAUNCH);
        assertThat(CrashPoints.armed("before-commit", 1).armed()).contains(CrashPoint.BEFORE_COMMIT);
        assertThat(CrashPoints.armed("after-recorded", 1).armed()).contains(CrashPoint.AFTER_RECORDED);
        assertThat(CrashPoints.armed("before-offset-commit", 1).armed()).contains(CrashPoint.BEFORE_OFFSET_COMMIT);
        assertThat(CrashPoints.armed("after-handled", 1).armed()).contains(CrashPoint.AFTER_HANDLED);
        assertThat(CrashPoints.armed("", 1).armed()).isEmpty();
        assertThat(CrashPoints.armed(null, 1).armed()).isEmpty();
        assertThatThrownBy(() -> CrashPoints.armed("after-lunch", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after-launch");
        assertThatThrownBy(() -> CrashPoints.armed("after-launch", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneNeverHalts() {
        CrashPoints none = CrashPoints.none();
        for (CrashPoint point : CrashPoint.values()) {
            none.reach(point, () -> "anything");
        }
        assertThat(none.armed()).isEmpty();
    }
}
