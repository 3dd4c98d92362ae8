package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** The account's VPC, Elastic IP and NAT gateway quotas, AWS's defaults unless raised. */
class ServiceQuotasIT {

    @Test
    void theSixthVpcAndTheSixthAddressAreRefusedWithAwsCodes() {
        try (Ec2Emulator emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests());
             Ec2Client ec2 = EmulatorClients.ec2(emulator, 1)) {
            for (int i = 0; i < 5; i++) {
                int n = i;
                ec2.createVpc(r -> r.cidrBlock("10." + n + ".0.0/16"));
                ec2.allocateAddress(r -> r.domain("vpc"));
            }
            assertThatThrownBy(() -> ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16"))).isInstanceOf(Ec2Exception.class)
                    .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode())
                            .isEqualTo("VpcLimitExceeded"));
            assertThatThrownBy(() -> ec2.allocateAddress(r -> r.domain("vpc"))).isInstanceOf(Ec2Exception.class)
                    .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode())
                            .isEqualTo("AddressLimitExceeded"));
        }
    }

    @Test
    void theSixthNatGatewayInAZoneIsRefusedAndRaisedQuotasLetMoreThrough() {
        try (Ec2Emulator emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests()
                .withQuotas(new ServiceQuotas(50, 5, 10, 5)));
             Ec2Client ec2 = EmulatorClients.ec2(emulator, 1)) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24")
                    .availabilityZone("us-east-1a")).subnet().subnetId();
            String other = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")
                    .availabilityZone("us-east-1b")).subnet().subnetId();
            for (int i = 0; i < 5; i++) {
                String eip = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
                ec2.createNatGateway(r -> r.subnetId(subnet).allocationId(eip));
            }
            String sixth = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
            assertThatThrownBy(() -> ec2.createNatGateway(r -> r.subnetId(subnet).allocationId(sixth)))
                    .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode())
                            .isEqualTo("NatGatewayLimitExceeded"));
            assertThat(ec2.createNatGateway(r -> r.subnetId(other).allocationId(sixth)).natGateway().natGatewayId())
                    .as("the quota is per Availability Zone").startsWith("nat-");
        }
        try (Ec2Emulator emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests()
                .withQuotas(ServiceQuotas.forClusters(8)));
             Ec2Client ec2 = EmulatorClients.ec2(emulator, 1)) {
            for (int i = 0; i < 8; i++) {
                int n = i;
                ec2.createVpc(r -> r.cidrBlock("10." + n + ".0.0/16"));
            }
            assertThat(ec2.describeVpcs().vpcs()).hasSize(8);
        }
    }
}
