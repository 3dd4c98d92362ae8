package io.k0rdent.ops.support.fault;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** The {@link CrashPoints} of every service, picked up by each service's Micronaut context from this jar. */
@Factory
public class FaultInjectionBeans {

    @Singleton
    public CrashPoints crashPoints(@Value("${" + CrashPoints.PROPERTY + ":}") String point,
                                   @Value("${" + CrashPoints.CRASH_AFTER_PROPERTY + ":1}") int crashAfter) {
        return CrashPoints.armed(point, crashAfter);
    }
}
