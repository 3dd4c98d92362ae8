package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.support.retry.FailureRetrySettings;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provisioner's settings bind from the keys they always had, and the secret among them never prints. */
class ProvisionerPropertiesTest {

    private static final String SECRET_KEY = "wJalrXUtnFEMI-example-secret";

    @Test
    void bindsTheKeysWithTheirDefaultsAndKeepsTheSecretKeyOutOfToString() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "k0rdent.provisioner.listeners.enabled", false,
                "k0rdent.provisioner.drift-enabled", false,
                "k0rdent.provisioner.admin-cidr", "192.0.2.0/24",
                "k0rdent.provisioner.access-key-id", "AKIAEXAMPLE",
                "k0rdent.provisioner.secret-access-key", SECRET_KEY,
                "k0rdent.provisioner.amis.eu-west-1", "ami-0123",
                "k0rdent.provisioner.failure-retry.initial-delay", "200ms",
                "k0rdent.provisioner.instances.metadata-hop-limit", 2))) {
            ProvisionerProperties properties = context.getBean(ProvisionerProperties.class);

            assertThat(properties.secretAccessKey().reveal()).isEqualTo(SECRET_KEY);
            assertThat(properties.toString()).doesNotContain(SECRET_KEY).contains("AKIAEXAMPLE");
            assertThat(properties.amis()).containsEntry("eu-west-1", "ami-0123");
            assertThat(properties.requireAdminCidr()).isEqualTo("192.0.2.0/24");
            assertThat(properties.waiterMaxAttempts()).isEqualTo(120);
            assertThat(properties.eventualConsistencyWindow()).isEqualTo(Duration.ofMinutes(1));
            assertThat(context.getBean(InstanceSettings.class))
                    .isEqualTo(new InstanceSettings(40, "gp3", null, 2));
            assertThat(context.getBean(FailureRetrySettings.class)).isEqualTo(new FailureRetrySettings(true,
                    Duration.ofMillis(200), Duration.ofMinutes(30), 10, Duration.ofSeconds(5)));
        }
    }
}
