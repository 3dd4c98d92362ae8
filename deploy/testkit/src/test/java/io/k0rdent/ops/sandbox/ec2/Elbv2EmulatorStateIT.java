package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * A durable emulator keeps its ELBv2 resources: load balancers, target groups, listeners, registrations and tags
 * come back from the state file, still holding their subnets, and keep moving on the clock.
 */
class Elbv2EmulatorStateIT {

    private static final Tag CLUSTER = Tag.builder().key("k0rdent.io/cluster").value("c1").build();

    @TempDir
    Path dir;

    private record Seen(List<LoadBalancer> loadBalancers, List<TargetGroup> targetGroups, List<Listener> listeners,
                        List<TargetHealthDescription> health, List<NetworkInterface> interfaces) {
    }

    private static Seen look(Ec2Client ec2, ElasticLoadBalancingV2Client elb, String nlb, String group) {
        return new Seen(elb.describeLoadBalancers().loadBalancers(), elb.describeTargetGroups().targetGroups(),
                elb.describeListeners(r -> r.loadBalancerArn(nlb)).listeners(),
                elb.describeTargetHealth(r -> r.targetGroupArn(group)).targetHealthDescriptions(),
                ec2.describeNetworkInterfaces().networkInterfaces());
    }

    @Test
    void aRestartedEmulatorStillHasItsLoadBalancersTargetGroupsListenersAndTargets() {
        ManualClock clock = new ManualClock();
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withStateFile(dir.resolve("ec2/state.json"))
                .withLoadBalancerTiming(new LoadBalancerTiming(Duration.ofMinutes(3), Duration.ofSeconds(30),
                        Duration.ofMinutes(5), Duration.ofMinutes(2)));
        Elbv2World world;
        String nlb;
        String group;
        Seen before;
        try (Ec2Emulator first = Ec2Emulator.start(options, clock); Ec2Client ec2 = EmulatorClients.ec2(first, 1);
             ElasticLoadBalancingV2Client elb = EmulatorClients.elbv2(first, 1)) {
            world = Elbv2World.build(ec2, 2, 2);
            nlb = world.createNlb(elb, "c1-api");
            group = world.createTargetGroup(elb, "c1-6443", 6443);
            String listener = Elbv2World.createListener(elb, nlb, 6443, group);
            elb.addTags(r -> r.resourceArns(nlb, group, listener).tags(CLUSTER));
            elb.registerTargets(r -> r.targetGroupArn(group).targets(world.instanceIds().stream()
                    .map(i -> TargetDescription.builder().id(i).build()).toList()));
            before = look(ec2, elb, nlb, group);
        }

        try (Ec2Emulator second = Ec2Emulator.start(options, clock); Ec2Client ec2 = EmulatorClients.ec2(second, 1);
             ElasticLoadBalancingV2Client elb = EmulatorClients.elbv2(second, 1)) {
            String targetGroup = group;
            assertThat(look(ec2, elb, nlb, group)).isEqualTo(before);
            assertThat(before.loadBalancers()).singleElement()
                    .satisfies(lb -> assertThat(lb.state().code()).isEqualTo(LoadBalancerStateEnum.PROVISIONING));
            assertThat(before.interfaces()).hasSize(2 + 2); // two instances, two load balancer nodes
            assertThat(elb.describeTags(r -> r.resourceArns(nlb, targetGroup)).tagDescriptions())
                    .allSatisfy(d -> assertThat(d.tags()).containsExactly(CLUSTER));
            assertThatThrownBy(() -> ec2.deleteSubnet(r -> r.subnetId(world.subnetIds().get(1))))
                    .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                            .isEqualTo("DependencyViolation"));

            // The restored resources go on where they were: active after provisioning, healthy after the checks.
            clock.advance(Duration.ofMinutes(3).plusSeconds(30));
            assertThat(elb.describeLoadBalancers().loadBalancers().get(0).state().code())
                    .isEqualTo(LoadBalancerStateEnum.ACTIVE);
            assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup)).targetHealthDescriptions())
                    .allSatisfy(h -> assertThat(h.targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY));
            // New ids continue the old sequence instead of repeating it.
            String another = world.createTargetGroup(elb, "c1-9443", 9443);
            assertThat(before.targetGroups()).extracting(TargetGroup::targetGroupArn).doesNotContain(another);
            assertThat(before.loadBalancers().get(0).loadBalancerArn()).isNotEqualTo(another);
        }
    }

    @Test
    void aStateFileWrittenBeforeTheEmulatorHadLoadBalancersStillLoads() throws IOException {
        Path file = dir.resolve("ec2/state.json");
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withStateFile(file);
        try (Ec2Emulator first = Ec2Emulator.start(options); Ec2Client ec2 = EmulatorClients.ec2(first, 1)) {
            ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16"));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(file.toFile());
        assertThat(old.remove("loadBalancing")).isNotNull();
        json.writeValue(file.toFile(), old);

        try (Ec2Emulator second = Ec2Emulator.start(options);
             ElasticLoadBalancingV2Client elb = EmulatorClients.elbv2(second, 1)) {
            assertThat(second.restored()).isEqualTo(new Ec2Emulator.StateSummary(1, 0));
            assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
        }
    }
}
