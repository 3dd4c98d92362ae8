package io.k0rdent.ops.support.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every service's context gets its {@link CrashPoints} from this jar, configured by the same two properties. */
class FaultInjectionBeansTest {

    @Test
    void aContextWithoutTheSettingHasNoArmedPoint() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getBean(CrashPoints.class).armed()).isEmpty();
        }
    }

    @Test
    void theSettingArmsTheNamedPoint() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(CrashPoints.PROPERTY, "before-offset-commit",
                CrashPoints.CRASH_AFTER_PROPERTY, "3"))) {
            assertThat(context.getBean(CrashPoints.class).armed()).contains(CrashPoint.BEFORE_OFFSET_COMMIT);
        }
    }

    @Test
    void aMisspeltPointFailsInsteadOfNeverFiring() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(CrashPoints.PROPERTY, "before-comit"))) {
            assertThatThrownBy(() -> context.getBean(CrashPoints.class)).hasStackTraceContaining("before-commit");
        }
    }
}
