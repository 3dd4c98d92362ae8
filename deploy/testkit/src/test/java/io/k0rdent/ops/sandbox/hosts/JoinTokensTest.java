package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class JoinTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void aTokenIsAGzippedKubeconfigWithABootstrapTokenAndTheJoinAddress() throws Exception {
        JoinTokens tokens = new JoinTokens();
        String token = tokens.issue(null, "worker", Duration.ofMinutes(10), "https://10.0.1.10:6443", NOW);
        String kubeconfig = new String(new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(token)))
                .readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubeconfig).contains("server: https://10.0.1.10:6443").containsPattern("token: [a-z0-9]{6}\\.[a-z0-9]{16}");
        assertThat(token).startsWith("H4sI");
    }

    @Test
    void aTokenJoinsItsRoleUntilItExpiresOrIsInvalidated() {
        JoinTokens tokens = new JoinTokens();
        String token = tokens.issue(null, "worker", Duration.ofMinutes(10), "https://a:6443", NOW);
        assertThat(tokens.redeem(token, "worker", NOW.plusSeconds(60)).refusal()).isNull();
        assertThat(tokens.redeem(token, "controller", NOW).refusal()).contains("for role worker");
        assertThat(tokens.redeem(token, "worker", NOW.plus(Duration.ofMinutes(10))).refusal()).contains("expired");
        assertThat(tokens.redeem("H4sInothing", "worker", NOW).refusal()).isEqualTo("invalid join token");

        String lasting = tokens.issue(null, "controller", Duration.ZERO, "https://a:9443", NOW);
        assertThat(tokens.redeem(lasting, "controller", NOW.plus(Duration.ofDays(400))).refusal())
                .as("0s never expires").isNull();
        String id = tokens.all().get(lasting).id();
        assertThat(tokens.invalidate(null, id)).isTrue();
        assertThat(tokens.redeem(lasting, "controller", NOW).refusal()).contains("invalidated");
        assertThat(tokens.invalidate(null, "zzzzzz")).isFalse();
        assertThat(tokens.usable(NOW)).containsExactly(token);
    }

    @Test
    void expiriesAreReadAsGoDurations() {
        assertThat(JoinTokens.parseExpiry("1h")).contains(Duration.ofHours(1));
        assertThat(JoinTokens.parseExpiry("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(JoinTokens.parseExpiry("20m")).contains(Duration.ofMinutes(20));
        assertThat(JoinTokens.parseExpiry("0s")).contains(Duration.ZERO);
        assertThat(JoinTokens.parseExpiry("10")).isEmpty();
        assertThat(JoinTokens.parseExpiry("soon")).isEmpty();
    }
}
