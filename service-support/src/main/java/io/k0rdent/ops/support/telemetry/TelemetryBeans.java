package io.k0rdent.ops.support.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Singleton;

/**
 * The telemetry beans of every service, picked up by each service's Micronaut context from this jar. The
 * OpenTelemetry instance is whatever was installed at deploy (the Java agent or SDK autoconfiguration, see
 * docs/operations.md), a no-op otherwise; tests register their own. The service name on spans and metrics is the
 * service's {@code micronaut.metrics.tags.service}, the same tag its other meters carry.
 */
@Factory
public class TelemetryBeans {

    @Singleton
    public OpenTelemetry openTelemetry() {
        return GlobalOpenTelemetry.get();
    }

    @Singleton
    public EventTelemetry eventTelemetry(OpenTelemetry openTelemetry, MeterRegistry meters,
                                         @Value("${micronaut.metrics.tags.service}") String service) {
        return new EventTelemetry(openTelemetry, meters, service);
    }

    @Singleton
    @Bean(preDestroy = "close")
    public KafkaClientBinder kafkaClientBinder(MeterRegistry meters) {
        return new KafkaClientBinder(meters);
    }
}
