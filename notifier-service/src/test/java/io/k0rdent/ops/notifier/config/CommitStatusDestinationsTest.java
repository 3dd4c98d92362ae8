package io.k0rdent.ops.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.delivery.DeliveryListener;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.support.SecretSource;
import io.opentelemetry.api.OpenTelemetry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commit-status destinations are built from their properties, and misconfiguration fails the start clearly. */
class CommitStatusDestinationsTest {

    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20),
            Duration.ofSeconds(1));
    private static final DeliveryListener IGNORED = new DeliveryListener() {
        @Override
        public void delivered(io.k0rdent.ops.notifier.delivery.Delivery delivery) {
        }

        @Override
        public void failed(io.k0rdent.ops.notifier.delivery.Delivery delivery, String reason, boolean permanent) {
        }
    };

    private static Destinations build(DestinationProperties props) {
        var clients = new Destinations.Clients(null, HttpClient.newHttpClient(), null,
                new SecretSource(Map.of("FORGE_TOKEN", "t0ken")::get), Clock.systemUTC(), Duration.ofSeconds(1),
                "https://github.com/acme/clusters");
        return new Destinations(List.of(props), null, clients, RETRY, IGNORED,
                OpenTelemetry.noop().getTracer("test"));
    }

    private static DestinationProperties status(String forge, String tokenEnv) {
        return new DestinationProperties("forge-status", Channel.COMMIT_STATUS, null, null, null, null, null, null,
                forge, null, tokenEnv, null, null, "k0rdent/", null);
    }

    @Test
    void buildsACommitStatusDestinationPerForge() {
        for (String forge : List.of("github", "GitLab", "gitea")) {
            try (Destinations destinations = build(status(forge, "FORGE_TOKEN"))) {
                assertThat(destinations.byName().get("forge-status").channel()).isEqualTo(Channel.COMMIT_STATUS);
            }
        }
    }

    @Test
    void anUnknownOrMissingForgeFailsTheStartNamingTheDestination() {
        assertThatThrownBy(() -> build(status("bitbucket", "FORGE_TOKEN")))
                .hasMessageContaining("forge-status").hasMessageContaining("bitbucket");
        assertThatThrownBy(() -> build(status(null, "FORGE_TOKEN")))
                .hasMessageContaining("forge-status").hasMessageContaining("forge is required");
    }

    @Test
    void aMissingTokenFailsTheStartWithoutPrintingAnyToken() {
        assertThatThrownBy(() -> build(status("github", "NO_SUCH_VARIABLE")))
                .hasMessageContaining("forge-status token").hasMessageNotContaining("t0ken");
    }
}
