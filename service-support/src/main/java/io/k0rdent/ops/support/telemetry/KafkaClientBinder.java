package io.k0rdent.ops.support.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds Kafka clients' own metrics (consumer lag among them, see {@link MetricNames#CONSUMER_LAG}) to a registry with
 * Micrometer's {@link KafkaClientMetrics}, and unbinds them on close. micronaut-kafka reports its own clients under
 * other names ({@code kafka.consumer.records-lag}), and clients a service builds by hand are not reported at all,
 * so every service binds its clients here to get the one name the dashboards use.
 */
public final class KafkaClientBinder implements AutoCloseable {

    private final MeterRegistry meters;
    private final List<KafkaClientMetrics> bound = new CopyOnWriteArrayList<>();

    public KafkaClientBinder(MeterRegistry meters) {
        this.meters = meters;
    }

    public void bind(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    public void bind(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    private void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(meters);
        bound.add(metrics);
    }

    @Override
    public void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
    }
}
