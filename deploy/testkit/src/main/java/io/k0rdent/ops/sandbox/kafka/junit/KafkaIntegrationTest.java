package io.k0rdent.ops.sandbox.kafka.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that talks to a real Kafka broker: test and lifecycle methods may declare a
 * {@link KafkaTestContext} parameter. All such classes in a test JVM share one broker, started on first use.
 *
 * <pre>{@code
 * @KafkaIntegrationTest
 * class OrdersIT {
 *     @Test
 *     void publishes(KafkaTestContext kafka) {
 *         String topic = kafka.createTopic("orders", 3);
 *         try (var producer = new KafkaProducer<String, byte[]>(kafka.producerProps())) { ... }
 *     }
 * }
 * }</pre>
 *
 * @see KafkaBrokerExtension
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("kafka")
@ExtendWith(KafkaBrokerExtension.class)
public @interface KafkaIntegrationTest {
}
