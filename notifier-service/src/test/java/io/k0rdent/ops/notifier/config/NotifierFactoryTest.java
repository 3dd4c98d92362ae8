package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.support.SecretSource;
import io.k0rdent.ops.support.Secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.notifier.routing.RouteRule;
import io.k0rdent.ops.notifier.routing.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierFactoryTest {

    @Test
    void turnsRoutePropertiesIntoARule() {
        RouteProperties props = new RouteProperties("prod", List.of("bootstrap", "definition.rejected"),
                List.of("error", "Warning"), Map.of("environment", "production, staging"), List.of("oncall"), false);

        RouteRule rule = NotifierFactory.rule(props);

        assertThat(rule.name()).isEqualTo("prod");
        assertThat(rule.types()).containsExactlyInAnyOrder("bootstrap", "definition.rejected");
        assertThat(rule.severities()).containsExactlyInAnyOrder(Severity.ERROR, Severity.WARNING);
        assertThat(rule.labels()).isEqualTo(Map.of("environment", Set.of("production", "staging")));
        assertThat(rule.destinations()).containsExactly("oncall");
        assertThat(rule.keepDefault()).isFalse();
        RouteProperties keeping = new RouteProperties("prod", props.types(), props.severities(), props.labels(),
                props.destinations(), true);
        assertThat(NotifierFactory.rule(keeping).keepDefault()).isTrue();
    }

    @Test
    void secretsComeFromEnvironmentOrFilesAndNeverPrint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("url");
        Files.writeString(file, "https://hooks.slack.com/services/T/B/xyz\n");
        SecretSource resolver = new SecretSource(Map.of("SMTP_PASSWORD", "pw")::get);

        Secret fromFile = resolver.require("slack url", null, file.toString());

        assertThat(fromFile.reveal()).isEqualTo("https://hooks.slack.com/services/T/B/xyz");
        assertThat(fromFile.toString()).doesNotContain("xyz");
        assertThat(resolver.require("smtp password", "SMTP_PASSWORD", null).reveal()).isEqualTo("pw");
        assertThat(resolver.resolve("signing key", null, null)).isEmpty();
        assertThatThrownBy(() -> resolver.require("x", "MISSING", null)).hasMessageContaining("MISSING")
                .hasMessageNotContaining("pw");
    }
}
