package io.k0rdent.ops.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ActionRateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void runInstancesAllowsABurstOfFiveThenTwoPerSecond() {
        ActionRateLimiter limiter = new ActionRateLimiter();
        long now = 1_000 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.reserve("RunInstances", now)).isZero();
        }
        assertThat(limiter.reserve("RunInstances", now)).isEqualTo(SECOND / 2);
        assertThat(limiter.reserve("RunInstances", now)).isEqualTo(SECOND);
        // Waiting callers were given their slots; one second later two tokens have been paid back.
        assertThat(limiter.reserve("RunInstances", now + SECOND)).isEqualTo(SECOND / 2);
    }

    @Test
    void actionsHaveTheirOwnBucketsSizedLikeEc2s() {
        ActionRateLimiter limiter = new ActionRateLimiter();
        long now = 5 * SECOND;
        for (int i = 0; i < 5; i++) {
            limiter.reserve("RunInstances", now);
        }
        assertThat(limiter.reserve("DescribeInstances", now)).isZero();
        assertThat(ActionRateLimiter.ec2Bucket("TerminateInstances")).isEqualTo(new ActionRateLimiter.Bucket(100, 5));
        assertThat(ActionRateLimiter.ec2Bucket("CreateVpc")).isEqualTo(new ActionRateLimiter.Bucket(50, 5));
        assertThat(ActionRateLimiter.ec2Bucket("DescribeInstances")).isEqualTo(new ActionRateLimiter.Bucket(50, 10));
        assertThat(ActionRateLimiter.ec2Bucket("DescribeVpcs")).isEqualTo(new ActionRateLimiter.Bucket(100, 20));
    }

    @Test
    void replicasSharingAnAccountEachTakeTheirPartOfEveryBucket() {
        ActionRateLimiter oneOfTwo = new ActionRateLimiter(2);
        long now = 1_000 * SECOND;
        // RunInstances: EC2's 5 burst and 2/s, halved (a burst of 2, one per second).
        assertThat(oneOfTwo.reserve("RunInstances", now)).isZero();
        assertThat(oneOfTwo.reserve("RunInstances", now)).isZero();
        assertThat(oneOfTwo.reserve("RunInstances", now)).isEqualTo(SECOND);
        // A bucket never shrinks below one token, however many replicas.
        ActionRateLimiter oneOfTen = new ActionRateLimiter(10);
        assertThat(oneOfTen.reserve("RunInstances", now)).isZero();
        assertThat(oneOfTen.reserve("RunInstances", now)).isEqualTo(5 * SECOND);
    }
}
