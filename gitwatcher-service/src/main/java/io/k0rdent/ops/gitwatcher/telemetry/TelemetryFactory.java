package io.k0rdent.ops.gitwatcher.telemetry;

import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.KafkaClientBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Singleton;

/**
 * The gitwatcher's OpenTelemetry and event telemetry. The OpenTelemetry instance is whatever was installed at
 * deploy (the Java agent or SDK autoconfiguration, see docs/operations.md), a no-op otherwise; tests replace it.
 */
@Factory
public class TelemetryFactory {

    @Singleton
    public OpenTelemetry openTelemetry() {
        return GlobalOpenTelemetry.get();
    }

    @Singleton
    public EventTelemetry eventTelemetry(OpenTelemetry openTelemetry, MeterRegistry meters) {
        return new EventTelemetry(openTelemetry, meters, "gitwatcher");
    }

    @Singleton
    @Bean(preDestroy = "close")
    public KafkaClientBinder kafkaClientBinder(MeterRegistry meters) {
        return new KafkaClientBinder(meters);
    }
}
