package io.k0rdent.ops.sandbox.awsmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator against the generated EC2 and ELBv2 models, one rule at a time. */
class QueryRequestValidatorTest {

    private static final QueryRequestValidator EC2 = new QueryRequestValidator(ServiceModel.ec2(), true);
    private static final QueryRequestValidator ELBV2 = new QueryRequestValidator(ServiceModel.elbv2(), true);

    @Test
    void anUnknownActionIsRefused() {
        assertThat(EC2.validate("DescribeEverything", Map.of())).get()
                .extracting(ModelViolation::kind).isEqualTo(ModelViolation.Kind.UNKNOWN_ACTION);
    }

    @Test
    void rangesComeFromEachOperationsOwnShape() {
        assertThat(EC2.validate("DescribeRouteTables", Map.of("MaxResults", "100"))).isEmpty();
        assertThat(EC2.validate("DescribeRouteTables", Map.of("MaxResults", "101"))).get()
                .satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ModelViolation.Kind.INVALID_VALUE);
                    assertThat(v.parameter()).isEqualTo("MaxResults");
                });
        assertThat(EC2.validate("DescribeSubnets", Map.of("MaxResults", "1000"))).isEmpty();
        assertThat(EC2.validate("DescribeSubnets", Map.of("MaxResults", "ten"))).get()
                .extracting(ModelViolation::kind).isEqualTo(ModelViolation.Kind.INVALID_VALUE);
    }

    @Test
    void requiredMembersAreCheckedInsideListsOfStructures() {
        Map<String, String> authorize = Map.of("GroupId", "sg-0123456789abcdef0",
                "IpPermissions.1.IpProtocol", "tcp", "IpPermissions.1.FromPort", "22", "IpPermissions.1.ToPort", "22",
                "IpPermissions.1.IpRanges.1.CidrIp", "192.0.2.0/24");
        assertThat(EC2.validate("AuthorizeSecurityGroupIngress", authorize)).isEmpty();

        assertThat(EC2.validate("CreateSubnet", Map.of("CidrBlock", "10.0.1.0/24"))).get()
                .satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ModelViolation.Kind.MISSING_PARAMETER);
                    assertThat(v.parameter()).isEqualTo("VpcId");
                });
    }

    @Test
    void ec2ListsAreFlattenedAndAnythingElseIsUnknown() {
        assertThat(EC2.validate("DescribeVpcs", Map.of("VpcId.1", "vpc-1", "VpcId.2", "vpc-2",
                "Filter.1.Name", "tag:k0rdent.io/cluster", "Filter.1.Value.1", "dev"))).isEmpty();
        assertThat(EC2.validate("DescribeVpcs", Map.of("VpcIds.1", "vpc-1"))).get()
                .satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ModelViolation.Kind.UNKNOWN_PARAMETER);
                    assertThat(v.parameter()).isEqualTo("VpcIds.1");
                });
        assertThat(EC2.validate("DescribeVpcs", Map.of("VpcId.first", "vpc-1"))).get()
                .extracting(ModelViolation::kind).isEqualTo(ModelViolation.Kind.UNKNOWN_PARAMETER);
    }

    @Test
    void enumsAreEnforced() {
        assertThat(EC2.validate("CreateTags", Map.of("ResourceId.1", "vpc-1", "Tag.1.Key", "a", "Tag.1.Value", "b")))
                .isEmpty();
        assertThat(EC2.validate("RunInstances", Map.of("ImageId", "ami-1", "MinCount", "1", "MaxCount", "1",
                "TagSpecification.1.ResourceType", "spaceship"))).get()
                .satisfies(v -> assertThat(v.parameter()).isEqualTo("TagSpecification.1.ResourceType"));
    }

    @Test
    void queryProtocolListsTravelAsMembers() {
        assertThat(ELBV2.validate("RegisterTargets", Map.of("TargetGroupArn", "arn:aws:elasticloadbalancing:x",
                "Targets.member.1.Id", "i-0123456789abcdef0", "Targets.member.1.Port", "6443"))).isEmpty();
        assertThat(ELBV2.validate("RegisterTargets", Map.of("TargetGroupArn", "arn:aws:elasticloadbalancing:x",
                "Targets.1.Id", "i-0123456789abcdef0"))).get()
                .extracting(ModelViolation::kind).isIn(ModelViolation.Kind.UNKNOWN_PARAMETER,
                        ModelViolation.Kind.MISSING_PARAMETER);
        assertThat(ELBV2.validate("DescribeLoadBalancers", Map.of("PageSize", "401"))).get()
                .extracting(ModelViolation::kind).isEqualTo(ModelViolation.Kind.INVALID_VALUE);
    }
}
