package io.k0rdent.ops.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class EventualConsistencyRetryTest {

    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final List<Duration> pauses = new ArrayList<>();
    private final EventualConsistencyRetry retry = new EventualConsistencyRetry(Duration.ofSeconds(30),
            new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            }, pause -> {
                pauses.add(pause);
                now = now.plus(pause);
            });

    private static AwsServiceException error(String code, String id) {
        return AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
                        .errorMessage("The ID '" + id + "' does not exist").build()).build();
    }

    @Test
    void aResourceJustCreatedIsRetriedUntilEc2KnowsIt() {
        retry.created("vpc-0123456789abcdef0");
        AtomicInteger attempts = new AtomicInteger();

        String subnet = retry.call(List.of("vpc-0123456789abcdef0"), () -> {
            if (attempts.incrementAndGet() < 4) {
                throw error("InvalidVpcID.NotFound", "vpc-0123456789abcdef0");
            }
            return "subnet-1";
        });

        assertThat(subnet).isEqualTo("subnet-1");
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aNotFoundForAResourceThisGatewayDidNotCreateIsFinal() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(List.of("vpc-0123456789abcdef0"), () -> {
            attempts.incrementAndGet();
            throw error("InvalidVpcID.NotFound", "vpc-0123456789abcdef0");
        })).isInstanceOf(AwsServiceException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theRetryEndsWhenTheWindowHasPassed() {
        retry.created("i-0123456789abcdef0");

        assertThatThrownBy(() -> retry.call(List.of("i-0123456789abcdef0"), () -> {
            throw error("InvalidInstanceID.NotFound", "i-0123456789abcdef0");
        })).isInstanceOf(AwsServiceException.class);
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isBetween(Duration.ofSeconds(30),
                Duration.ofSeconds(32));
    }

    @Test
    void aNotFoundAboutSomethingElseIsFinalEvenWhenTheCallAlsoNamesAFreshResource() {
        retry.created("subnet-0123456789abcdef0");
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(List.of("subnet-0123456789abcdef0"), () -> {
            attempts.incrementAndGet();
            throw error("InvalidKeyPair.NotFound", "absent-key");
        })).isInstanceOf(AwsServiceException.class);
        assertThat(attempts).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void otherErrorsAreNotRetried() {
        retry.created("sg-0123456789abcdef0");
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(List.of("sg-0123456789abcdef0"), () -> {
            attempts.incrementAndGet();
            throw error("InvalidPermission.Duplicate", "sg-0123456789abcdef0");
        })).isInstanceOf(AwsServiceException.class);
        assertThat(attempts).hasValue(1);
    }
}
