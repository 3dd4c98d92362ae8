package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The AWS secret access key never reaches a log line, at DEBUG for our code and the AWS SDK (whose wire logging is
 * where a credential would show first), while a cluster is provisioned through Kafka and the real SDK.
 */
@KafkaIntegrationTest
class SecretsNotLoggedIT {

    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY42";

    @Test
    void theSecretAccessKeyIsNeverLogged(KafkaTestContext kafka) {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        // Background threads (Kafka clients closing, the control topic's follower) may still log while the list is
        // read: a list that allows that.
        captured.list = new java.util.concurrent.CopyOnWriteArrayList<>();
        captured.start();
        logs.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
        List<String> verbose = List.of("io.k0rdent", "software.amazon.awssdk", "org.apache.http");
        verbose.forEach(name -> logs.getLogger(name).setLevel(Level.DEBUG));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                Map.of("k0rdent.provisioner.secret-access-key", SECRET_KEY), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("quiet", false, 1), 1));
            h.await(InfrastructureProvisioned.class, e -> e.header().clusterName().equals("quiet"));

            // The same flow, as the metrics tell it.
            MeterRegistry meters = h.app().getBean(MeterRegistry.class);
            assertThat(meters.get(MetricNames.EC2_CALLS).tags("action", "RunInstances", "outcome", "success")
                    .counter().count()).isGreaterThanOrEqualTo(1.0);
            assertThat(meters.get(MetricNames.STAGE_DURATION).tags("service", "provisioner", "stage", "provision",
                    "outcome", "success").timer().count()).isEqualTo(1);
            assertThat(meters.get(MetricNames.EVENTS_PRODUCED).tags("service", "provisioner").counter().count())
                    .isGreaterThanOrEqualTo(1.0);
        } finally {
            logs.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
            verbose.forEach(name -> logs.getLogger(name).setLevel(null));
        }
        assertThat(captured.list).as("the flow logged at DEBUG").hasSizeGreaterThan(10);
        assertThat(captured.list).allSatisfy(e -> assertThat(e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .doesNotContain(SECRET_KEY));
    }
}
