package io.k0rdent.ops.sandbox.ec2;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The real SDK pointed at an emulator, as the tests of the emulator use it. */
final class EmulatorClients {

    private EmulatorClients() {
    }

    static Ec2Client ec2(Ec2Emulator emulator, int maxAttempts) {
        return Ec2Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(maxAttempts)))
                .build();
    }

    /** The ELBv2 client on the same endpoint: the emulator tells the two APIs apart by their {@code Version}. */
    static ElasticLoadBalancingV2Client elbv2(Ec2Emulator emulator, int maxAttempts) {
        return ElasticLoadBalancingV2Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(maxAttempts)))
                .build();
    }
}
