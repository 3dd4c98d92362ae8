package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteTableAssociationResponse;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociationStateCode;

/** {@code ReplaceRouteTableAssociation} through the real SDK: the subnet moves to the other table, under a new id. */
class RouteTableAssociationReplacementIT {

    private Ec2Emulator emulator;
    private Ec2Client ec2;

    @AfterEach
    void stop() {
        if (ec2 != null) {
            ec2.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private static String code(Throwable e) {
        return ((Ec2Exception) e).awsErrorDetails().errorCode();
    }

    @Test
    void theSubnetMovesToTheNewTableUnderANewAssociationAndTheOldIdIsGone() {
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests());
        ec2 = EmulatorClients.ec2(emulator, 1);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.5.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.5.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String first = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        String second = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        String association = ec2.associateRouteTable(r -> r.routeTableId(first).subnetId(subnet)).associationId();

        ReplaceRouteTableAssociationResponse replaced = ec2.replaceRouteTableAssociation(r -> r
                .associationId(association).routeTableId(second));

        assertThat(replaced.newAssociationId()).startsWith("rtbassoc-").isNotEqualTo(association);
        assertThat(replaced.associationState().state()).isEqualTo(RouteTableAssociationStateCode.ASSOCIATED);
        assertThat(table(first).associations()).isEmpty();
        assertThat(table(second).associations()).extracting(RouteTableAssociation::subnetId,
                RouteTableAssociation::routeTableAssociationId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(subnet, replaced.newAssociationId()));
        assertThatThrownBy(() -> ec2.replaceRouteTableAssociation(r -> r.associationId(association)
                .routeTableId(first))).satisfies(e -> assertThat(code(e)).isEqualTo("InvalidAssociationID.NotFound"));
        assertThatThrownBy(() -> ec2.replaceRouteTableAssociation(r -> r.associationId(replaced.newAssociationId())
                .routeTableId("rtb-0000000000000000"))).satisfies(e -> assertThat(code(e))
                .isEqualTo("InvalidRouteTableID.NotFound"));
    }

    @Test
    void aTableOfAnotherVpcIsRefused() {
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests());
        ec2 = EmulatorClients.ec2(emulator, 1);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.6.0.0/16")).vpc().vpcId();
        String other = ec2.createVpc(r -> r.cidrBlock("10.7.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.6.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String table = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        String elsewhere = ec2.createRouteTable(r -> r.vpcId(other)).routeTable().routeTableId();
        String association = ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet)).associationId();

        assertThatThrownBy(() -> ec2.replaceRouteTableAssociation(r -> r.associationId(association)
                .routeTableId(elsewhere))).satisfies(e -> assertThat(code(e)).isEqualTo("InvalidParameterValue"));
        assertThat(table(table).associations()).extracting(RouteTableAssociation::routeTableAssociationId)
                .containsExactly(association);
    }

    private RouteTable table(String id) {
        return ec2.describeRouteTables(r -> r.routeTableIds(id)).routeTables().get(0);
    }
}
