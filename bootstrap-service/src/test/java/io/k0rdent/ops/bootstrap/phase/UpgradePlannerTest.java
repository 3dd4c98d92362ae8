package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UpgradePlannerTest {

    @Test
    void controllersOneAtATimeThenWorkersInTenPercentBatches() {
        List<String> workers = IntStream.range(0, 25).mapToObj(i -> "w" + i).toList();

        List<UpgradePlanner.Step> steps = UpgradePlanner.plan(List.of("c0", "c1", "c2"), workers, 10, 25);

        assertThat(steps.subList(0, 3)).containsExactly(
                new UpgradePlanner.Step(true, List.of("c0")),
                new UpgradePlanner.Step(true, List.of("c1")),
                new UpgradePlanner.Step(true, List.of("c2")));
        // 10 % of 25 rounds up to 3 per batch.
        assertThat(steps.subList(3, steps.size())).allSatisfy(s -> {
            assertThat(s.controllers()).isFalse();
            assertThat(s.nodes()).hasSizeLessThanOrEqualTo(3);
        });
        assertThat(steps.subList(3, steps.size()).stream().flatMap(s -> s.nodes().stream())).containsExactlyElementsOf(workers);
    }

    @Test
    void batchesAreAtLeastOneNode() {
        assertThat(UpgradePlanner.batchSize(10, 3)).isEqualTo(1);
        assertThat(UpgradePlanner.batchSize(10, 10)).isEqualTo(1);
        assertThat(UpgradePlanner.batchSize(10, 11)).isEqualTo(2);
        assertThat(UpgradePlanner.batchSize(0, 0)).isEqualTo(1);
    }

    @Test
    void versionsOnlyGoUpUnlessAllowed() {
        assertThat(UpgradePlanner.compare("1.28.3+k0s.0", "1.28.10+k0s.0")).isNegative();
        assertThat(UpgradePlanner.compare("1.29.0+k0s.0", "1.28.10+k0s.1")).isPositive();
        assertThat(UpgradePlanner.compare("1.28.3+k0s.1", "1.28.3+k0s.0")).isPositive();
        assertThatCode(() -> UpgradePlanner.requireAllowed("1.28.3+k0s.0", "1.29.1+k0s.0", false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> UpgradePlanner.requireAllowed("1.29.1+k0s.0", "1.28.3+k0s.0", false))
                .hasMessageContaining("not allowed");
        assertThatCode(() -> UpgradePlanner.requireAllowed("1.29.1+k0s.0", "1.28.3+k0s.0", true)).doesNotThrowAnyException();
    }
}
