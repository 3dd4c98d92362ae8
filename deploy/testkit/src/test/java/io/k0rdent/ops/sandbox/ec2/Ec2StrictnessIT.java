package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The emulator refuses what EC2 refuses, as the real SDK sees it: requests outside AWS's published model
 * ({@code aws-model/}) and, inside the eventual-consistency window, calls naming a resource just created.
 */
class Ec2StrictnessIT {

    private Ec2Emulator emulator;
    private Ec2Client ec2;

    private Ec2Client start(Ec2EmulatorOptions options) {
        emulator = Ec2Emulator.start(options);
        ec2 = EmulatorClients.ec2(emulator, 1);
        return ec2;
    }

    @AfterEach
    void stop() {
        if (ec2 != null) {
            ec2.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void maxResultsOutsideTheOperationsRangeIsInvalidParameterValue() {
        start(Ec2EmulatorOptions.forTests());

        assertThatThrownBy(() -> ec2.describeRouteTables(r -> r.maxResults(1000)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("MaxResults")
                            .contains("less than or equal to 100");
                });
        // The same value is inside DescribeVpcs' own range (5..1000).
        assertThat(ec2.describeVpcs(r -> r.maxResults(1000)).vpcs()).isEmpty();
        assertThatThrownBy(() -> ec2.describeVpcs(r -> r.maxResults(4)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThat(emulator.audit().entries()).extracting(AuditEntry::errorCode)
                .containsExactly("InvalidParameterValue", null, "InvalidParameterValue");
    }

    @Test
    void aMissingRequiredMemberIsMissingParameter() {
        start(Ec2EmulatorOptions.forTests());

        assertThatThrownBy(() -> ec2.createSubnet(r -> r.cidrBlock("10.0.1.0/24")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("VpcId");
                });
    }

    @Test
    void aValueOutsideItsEnumIsInvalidParameterValue() {
        start(Ec2EmulatorOptions.forTests());

        assertThatThrownBy(() -> ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)
                .instanceType("t3.gigantic")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("InstanceType").contains("t3.gigantic");
                });
    }

    @Test
    void onlyTheRegionsKeyPairsCanBeLaunchedWith() {
        start(Ec2EmulatorOptions.forTests().withKeyPairs("team-key"));

        assertThat(ec2.describeKeyPairs(r -> r.keyNames("team-key")).keyPairs()).singleElement()
                .satisfies(k -> assertThat(k.keyName()).isEqualTo("team-key"));
        assertThatThrownBy(() -> ec2.describeKeyPairs(r -> r.keyNames("k0rdent")))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidKeyPair.NotFound"));
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        assertThatThrownBy(() -> ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").minCount(1).maxCount(1)
                .instanceType("t3.micro").subnetId(subnet).keyName("k0rdent")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidKeyPair.NotFound");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("'k0rdent'");
                });
    }

    @Test
    void aLenientEmulatorLetsATestSendWhatAwsWouldRefuse() {
        start(Ec2EmulatorOptions.forTests().withStrictness(ApiStrictness.lenient()));

        assertThat(ec2.describeRouteTables(r -> r.maxResults(1000)).routeTables()).isEmpty();
    }

    @Test
    void aResourceJustCreatedIsNotFoundByIdUntilTheWindowHasPassed() {
        start(Ec2EmulatorOptions.forTests()
                .withStrictness(ApiStrictness.modelOnly().withConsistencyWindow(Duration.ofMillis(500))));

        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();

        assertThatThrownBy(() -> ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24")
                .availabilityZone("us-east-1a")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcID.NotFound");
                    assertThat(e.awsErrorDetails().errorMessage()).contains(vpcId);
                });
        assertThatThrownBy(() -> ec2.describeVpcs(r -> r.vpcIds(vpcId)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcID.NotFound"));

        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(Ec2Exception.class).untilAsserted(() ->
                assertThat(ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24")
                        .availabilityZone("us-east-1a")).subnet().vpcId()).isEqualTo(vpcId));
    }
}
