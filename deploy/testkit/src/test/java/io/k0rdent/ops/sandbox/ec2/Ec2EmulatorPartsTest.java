package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The emulator's building blocks, without HTTP. */
class Ec2EmulatorPartsTest {

    @Test
    void cidrsContainOverlapAndHandOutAddresses() {
        Cidr vpc = Cidr.parse("10.0.0.0/16");
        assertThat(vpc.contains(Cidr.parse("10.0.64.0/18"))).isTrue();
        assertThat(vpc.contains(Cidr.parse("10.1.0.0/24"))).isFalse();
        assertThat(Cidr.parse("10.0.1.0/24").overlaps(Cidr.parse("10.0.1.128/25"))).isTrue();
        assertThat(Cidr.parse("10.0.1.0/24").overlaps(Cidr.parse("10.0.2.0/24"))).isFalse();
        assertThat(Cidr.parse("10.0.1.7/24")).hasToString("10.0.1.0/24");
        assertThat(Cidr.parse("10.0.1.0/24").address(4)).isEqualTo("10.0.1.4");
        assertThatThrownBy(() -> Cidr.parse("10.0.300.0/24")).isInstanceOfSatisfying(Ec2Error.class,
                e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void filtersMatchAnyValueWithEc2Wildcards() {
        Ec2Filter filter = new Ec2Filter("name", List.of("ubuntu/*-amd64-?erver-*", "exact"));
        assertThat(filter.matches(List.of("ubuntu/jammy-amd64-server-2024"))).isTrue();
        assertThat(filter.matches(List.of("exact"))).isTrue();
        assertThat(filter.matches(List.of("ubuntu/jammy-arm64-server-2024"))).isFalse();
        assertThat(new Ec2Filter("x", List.of("a.b")).matches(List.of("aXb"))).isFalse();
    }

    @Test
    void queryParametersFollowEc2sListAndStructureFlattening() {
        QueryRequest request = QueryRequest.parse("Action=DescribeVpcs&Filter.1.Name=tag%3Ak0rdent.io%2Fcluster"
                + "&Filter.1.Value.1=a&Filter.1.Value.2=b&Filter.2.Name=vpc-id&Filter.2.Value.1=vpc-1"
                + "&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=v"
                + "&InstanceId.1=i-1&InstanceId.2=i-2");
        assertThat(request.filters()).containsExactly(new Ec2Filter("tag:k0rdent.io/cluster", List.of("a", "b")),
                new Ec2Filter("vpc-id", List.of("vpc-1")));
        assertThat(request.tagSpecifications("vpc")).isEqualTo(Map.of("k", "v"));
        assertThat(request.tagSpecifications("subnet")).isEmpty();
        assertThat(request.list("InstanceId")).containsExactly("i-1", "i-2");
        assertThatThrownBy(() -> request.required("VpcId")).isInstanceOfSatisfying(Ec2Error.class,
                e -> assertThat(e.code()).isEqualTo("MissingParameter"));
    }

    @Test
    void tokenBucketsAllowTheBurstThenRefill() {
        TokenBucket bucket = new TokenBucket(5, 2, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(0)).isTrue();
        }
        assertThat(bucket.tryTake(0)).isFalse();
        assertThat(bucket.tryTake(499_000_000L)).isFalse();
        assertThat(bucket.tryTake(500_000_000L)).isTrue();
        assertThat(BucketSpec.forAction("RunInstances")).isEqualTo(BucketSpec.RUN_INSTANCES);
        assertThat(BucketSpec.forAction("DescribeSubnets")).isEqualTo(BucketSpec.NON_MUTATING);
        assertThat(BucketSpec.forAction("CreateSubnet")).isEqualTo(BucketSpec.MUTATING);
    }

    @Test
    void faultsFireOnTheNthCallAndDeterministicallyForASeed() {
        CallFaults nth = new CallFaults(List.of(FaultRule.onNthCall("DeleteVpc", 2, "DependencyViolation",
                400)), 1);
        assertThat(nth.next("DeleteVpc")).isEmpty();
        assertThat(nth.next("CreateVpc")).isEmpty();
        assertThat(nth.next("DeleteVpc")).hasValueSatisfying(r -> assertThat(r.errorCode())
                .isEqualTo("DependencyViolation"));
        assertThat(nth.next("DeleteVpc")).isEmpty();

        CallFaults a = new CallFaults(List.of(FaultRule.throttle(50)), 7);
        CallFaults b = new CallFaults(List.of(FaultRule.throttle(50)), 7);
        for (int i = 0; i < 50; i++) {
            assertThat(a.next("DescribeVpcs").isPresent()).isEqualTo(b.next("DescribeVpcs").isPresent());
        }
    }

    @Test
    void responsesAreNamespacedAndEscapedByTheXmlWriter() {
        XmlOut out = XmlOut.response("CreateTags", "req-1");
        out.start("tagSet").start("item").text("key", "a<b&c").text("value", null).end().end();
        String xml = out.finishAsString();
        assertThat(xml).contains("<CreateTagsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">")
                .contains("<requestId>req-1</requestId>").contains("<key>a&lt;b&amp;c</key>")
                .doesNotContain("<value>");
        assertThat(new String(XmlOut.error("DependencyViolation", "in use", "req-2"),
                java.nio.charset.StandardCharsets.UTF_8))
                .contains("<Response><Errors><Error><Code>DependencyViolation</Code><Message>in use</Message>"
                        + "</Error></Errors><RequestID>req-2</RequestID></Response>");
    }
}
