package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * The emulator's ELBv2 API through the real {@code ElasticLoadBalancingV2Client}, on the same endpoint as EC2:
 * network load balancers, target groups, listeners and targets, with the model, the errors and the physics of AWS
 * (interfaces in subnets, provisioning, health checks, draining).
 */
class Elbv2EmulatorIT {

    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;

    private void start(Ec2EmulatorOptions options, Clock clock) {
        emulator = Ec2Emulator.start(options, clock);
        ec2 = EmulatorClients.ec2(emulator, 1);
        elb = EmulatorClients.elbv2(emulator, 1);
    }

    @AfterEach
    void stop() {
        if (elb != null) {
            elb.close();
            ec2.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private static Consumer<Throwable> code(String expected) {
        return e -> {
            assertThat(e).isInstanceOf(AwsServiceException.class);
            AwsServiceException aws = (AwsServiceException) e;
            assertThat(aws.awsErrorDetails().errorCode()).isEqualTo(expected);
            assertThat(aws.statusCode()).isEqualTo(400);
        };
    }

    private static void fails(ThrowingCallable call, String expectedCode) {
        assertThatThrownBy(call).satisfies(code(expectedCode));
    }

    private List<TargetHealthDescription> health(String targetGroupArn) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions();
    }

    @Test
    void aNetworkLoadBalancerWithTheClusterListenersBringsRegisteredInstancesToHealthy() {
        start(Ec2EmulatorOptions.forTests(), Clock.systemUTC());
        Elbv2World world = Elbv2World.build(ec2, 3, 3);

        LoadBalancer created = elb.createLoadBalancer(r -> r.name("c1-api").type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).subnets(world.subnetIds())
                .tags(Tag.builder().key("k0rdent.io/cluster").value("c1").build())).loadBalancers().get(0);
        assertThat(created.state().code()).isEqualTo(LoadBalancerStateEnum.PROVISIONING);
        assertThat(created.loadBalancerArn())
                .matches("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/c1-api/[0-9a-f]{16}");
        String id = created.loadBalancerArn().substring(created.loadBalancerArn().lastIndexOf('/') + 1);
        assertThat(created.dnsName()).isEqualTo("c1-api-" + id + ".elb.us-east-1.amazonaws.com");
        assertThat(created.vpcId()).isEqualTo(world.vpcId());
        assertThat(created.availabilityZones()).extracting(z -> z.subnetId()).isEqualTo(world.subnetIds());
        assertThat(created.availabilityZones()).extracting(z -> z.zoneName())
                .containsExactly("us-east-1a", "us-east-1b", "us-east-1c");

        elb.waiter().waitUntilLoadBalancerAvailable(r -> r.loadBalancerArns(created.loadBalancerArn()));
        for (int port : Elbv2World.PORTS) {
            String group = world.createTargetGroup(elb, "c1-" + port, port);
            Elbv2World.createListener(elb, created.loadBalancerArn(), port, group);
            elb.registerTargets(r -> r.targetGroupArn(group).targets(world.instanceIds().stream()
                    .map(i -> TargetDescription.builder().id(i).build()).toList()));
            elb.waiter().waitUntilTargetInService(r -> r.targetGroupArn(group));
            assertThat(health(group)).hasSize(3).allSatisfy(h -> {
                assertThat(h.targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
                assertThat(h.target().port()).isEqualTo(port);
                assertThat(h.healthCheckPort()).isEqualTo(String.valueOf(port));
            });
        }

        assertThat(elb.describeTargetGroups(r -> r.loadBalancerArn(created.loadBalancerArn())).targetGroups())
                .extracting(g -> g.port()).containsExactly(6443, 9443, 8132);
        assertThat(elb.describeListeners(r -> r.loadBalancerArn(created.loadBalancerArn())).listeners())
                .extracting(l -> l.port()).containsExactly(6443, 9443, 8132);
        assertThat(elb.describeTags(r -> r.resourceArns(created.loadBalancerArn())).tagDescriptions().get(0).tags())
                .containsExactly(Tag.builder().key("k0rdent.io/cluster").value("c1").build());
        // One node per subnet, as EC2 lists it: what keeps the subnets in use.
        List<NetworkInterface> nodes = ec2.describeNetworkInterfaces(r -> r.filters(f -> f.name("interface-type")
                .values("network_load_balancer"))).networkInterfaces();
        assertThat(nodes).extracting(NetworkInterface::subnetId).containsExactlyElementsOf(world.subnetIds());
        assertThat(nodes).allSatisfy(n -> {
            assertThat(n.description()).isEqualTo("ELB net/c1-api/" + id);
            assertThat(n.requesterId()).isEqualTo("amazon-elb");
            assertThat(n.requesterManaged()).isTrue();
            assertThat(n.privateIpAddress()).startsWith("10.0.");
            assertThat(n.association().publicIp()).isNotNull();
        });
        assertThat(emulator.audit().entries("CreateLoadBalancer").get(0).createdIds())
                .containsExactly(created.loadBalancerArn());
    }

    @Test
    void provisioningHealthChecksDrainingAndReleaseTakeTheirTimeOnTheEmulatorsClock() {
        ManualClock clock = new ManualClock();
        start(Ec2EmulatorOptions.forTests().withLoadBalancerTiming(new LoadBalancerTiming(Duration.ofMinutes(3),
                Duration.ofSeconds(150), Duration.ofSeconds(300), Duration.ofMinutes(2))), clock);
        Elbv2World world = Elbv2World.build(ec2, 2, 2);
        String nlb = world.createNlb(elb, "c1-api");
        String group = world.createTargetGroup(elb, "c1-6443", 6443);
        elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(world.instanceIds().get(0)).build()));
        assertThat(health(group).get(0).targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");
        Elbv2World.createListener(elb, nlb, 6443, group);

        assertThat(state(nlb)).isEqualTo(LoadBalancerStateEnum.PROVISIONING);
        assertThat(health(group).get(0).targetHealth().reasonAsString()).isEqualTo("Elb.RegistrationInProgress");
        clock.advance(Duration.ofMinutes(3));
        assertThat(state(nlb)).isEqualTo(LoadBalancerStateEnum.ACTIVE);
        assertThat(health(group).get(0).targetHealth().state()).isEqualTo(TargetHealthStateEnum.INITIAL);
        assertThat(health(group).get(0).targetHealth().reasonAsString()).isEqualTo("Elb.InitialHealthChecking");
        clock.advance(Duration.ofSeconds(150));
        assertThat(health(group).get(0).targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY);

        elb.deregisterTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(world.instanceIds().get(0)).build()));
        assertThat(health(group).get(0).targetHealth().state()).isEqualTo(TargetHealthStateEnum.DRAINING);
        clock.advance(Duration.ofSeconds(300));
        assertThat(health(group)).isEmpty();
        assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(world.instanceIds().get(0)).build())).targetHealthDescriptions().get(0).targetHealth())
                .satisfies(h -> assertThat(h.state()).isEqualTo(TargetHealthStateEnum.UNUSED))
                .satisfies(h -> assertThat(h.reasonAsString()).isEqualTo("Target.NotRegistered"));

        ec2.terminateInstances(r -> r.instanceIds(world.instanceIds()));
        ec2.describeInstances(r -> r.instanceIds(world.instanceIds()));
        ec2.describeInstances(r -> r.instanceIds(world.instanceIds()));
        // Deleted at once for the API, but its interfaces are released later: the subnets stay in use until then.
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb));
        fails(() -> elb.describeLoadBalancers(r -> r.loadBalancerArns(nlb)), "LoadBalancerNotFound");
        fails(() -> ec2.deleteSubnet(r -> r.subnetId(world.subnetIds().get(0))), "DependencyViolation");
        clock.advance(Duration.ofMinutes(2));
        ec2.deleteSubnet(r -> r.subnetId(world.subnetIds().get(0)));
    }

    private LoadBalancerStateEnum state(String arn) {
        return elb.describeLoadBalancers(r -> r.loadBalancerArns(arn)).loadBalancers().get(0).state().code();
    }

    @Test
    void subnetsVpcAndGatewayAreInUseWhileTheLoadBalancerHasInterfacesThere() {
        start(Ec2EmulatorOptions.forTests(), Clock.systemUTC());
        Elbv2World world = Elbv2World.build(ec2, 2, 0);
        String nlb = world.createNlb(elb, "c1-api");

        for (String subnet : world.subnetIds()) {
            fails(() -> ec2.deleteSubnet(r -> r.subnetId(subnet)), "DependencyViolation");
        }
        fails(() -> ec2.deleteVpc(r -> r.vpcId(world.vpcId())), "DependencyViolation");
        // Its nodes' public addresses are mapped through the gateway.
        fails(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(world.gatewayId()).vpcId(world.vpcId())),
                "DependencyViolation");

        elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb));
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb)); // idempotent, as documented
        elb.waiter().waitUntilLoadBalancersDeleted(r -> r.loadBalancerArns(nlb));
        assertThat(ec2.describeNetworkInterfaces().networkInterfaces()).isEmpty();
        world.subnetIds().forEach(subnet -> ec2.deleteSubnet(r -> r.subnetId(subnet)));
        ec2.detachInternetGateway(r -> r.internetGatewayId(world.gatewayId()).vpcId(world.vpcId()));
        ec2.deleteInternetGateway(r -> r.internetGatewayId(world.gatewayId()));
        ec2.deleteVpc(r -> r.vpcId(world.vpcId()));
    }

    @Test
    void theSameSettingsAgainAnswerTheExistingResourceAndOtherSettingsAreDuplicates() {
        start(Ec2EmulatorOptions.forTests(), Clock.systemUTC());
        Elbv2World world = Elbv2World.build(ec2, 2, 0);
        String nlb = world.createNlb(elb, "c1-api");
        assertThat(world.createNlb(elb, "c1-api")).isEqualTo(nlb);
        fails(() -> elb.createLoadBalancer(r -> r.name("c1-api").type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(world.subnetIds())), "DuplicateLoadBalancerName");

        String group = world.createTargetGroup(elb, "c1-6443", 6443);
        assertThat(world.createTargetGroup(elb, "c1-6443", 6443)).isEqualTo(group);
        fails(() -> world.createTargetGroup(elb, "c1-6443", 443), "DuplicateTargetGroupName");

        String listener = Elbv2World.createListener(elb, nlb, 6443, group);
        assertThat(Elbv2World.createListener(elb, nlb, 6443, group)).isEqualTo(listener);
        String other = world.createTargetGroup(elb, "c1-other", 6443);
        fails(() -> Elbv2World.createListener(elb, nlb, 6443, other), "DuplicateListener");

        fails(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(group)), "ResourceInUse");
        elb.deleteListener(r -> r.listenerArn(listener));
        elb.deleteTargetGroup(r -> r.targetGroupArn(group));
        assertThat(elb.describeTargetGroups().targetGroups()).extracting(g -> g.targetGroupName())
                .containsExactly("c1-other");
        assertThat(emulator.audit().entries("CreateLoadBalancer")).extracting(e -> e.createdIds().size())
                .containsExactly(1, 0, 0);
    }

    @Test
    void theAccountsLoadBalancerQuotaIsEnforcedAndCanBeRaised() {
        start(Ec2EmulatorOptions.forTests().withQuotas(ServiceQuotas.raisedTo(2)), Clock.systemUTC());
        Elbv2World world = Elbv2World.build(ec2, 2, 0);
        String first = world.createNlb(elb, "q1-api");
        world.createNlb(elb, "q2-api");

        fails(() -> world.createNlb(elb, "q3-api"), "TooManyLoadBalancers");
        // The same name again is the existing load balancer, not a new one: the quota does not apply.
        assertThat(world.createNlb(elb, "q1-api")).isEqualTo(first);
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(first));
        world.createNlb(elb, "q3-api");
        assertThat(ServiceQuotas.awsDefaults().networkLoadBalancers()).isEqualTo(50);
    }

    @Test
    void requestsOutsideTheModelAreValidationErrors() {
        start(Ec2EmulatorOptions.forTests(), Clock.systemUTC());

        fails(() -> elb.describeLoadBalancers(r -> r.pageSize(401)), "ValidationError");
        fails(() -> elb.describeLoadBalancers(r -> r.pageSize(0)), "ValidationError");
        assertThatThrownBy(() -> elb.createLoadBalancer(r -> r.type(LoadBalancerTypeEnum.NETWORK)
                .subnets("subnet-00000000000000001")))
                .satisfies(code("ValidationError"))
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorMessage())
                        .contains("Name"));
        assertThat(elb.describeLoadBalancers(r -> r.pageSize(400)).loadBalancers()).isEmpty();
        assertThat(emulator.audit().entries()).extracting(AuditEntry::errorCode)
                .containsExactly("ValidationError", "ValidationError", "ValidationError", null);
    }

    @Test
    void placementRulesOfNetworkLoadBalancersAreEnforced() {
        start(Ec2EmulatorOptions.forTests(), Clock.systemUTC());
        Elbv2World world = Elbv2World.build(ec2, 2, 0);
        String sameZone = ec2.createSubnet(r -> r.vpcId(world.vpcId()).cidrBlock("10.0.9.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();

        fails(() -> elb.createLoadBalancer(r -> r.name("two-in-a").type(LoadBalancerTypeEnum.NETWORK)
                .subnets(world.subnetIds().get(0), sameZone)), "InvalidConfigurationRequest");
        fails(() -> elb.createLoadBalancer(r -> r.name("nowhere").type(LoadBalancerTypeEnum.NETWORK)
                .subnets("subnet-0123456789abcdef0")), "SubnetNotFound");
        // The default type is application, which this twin does not model: refused, never half-emulated.
        fails(() -> elb.createLoadBalancer(r -> r.name("alb").subnets(world.subnetIds())), "ValidationError");

        String privateVpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String privateSubnet = ec2.createSubnet(r -> r.vpcId(privateVpc).cidrBlock("10.1.0.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        assertThatThrownBy(() -> elb.createLoadBalancer(r -> r.name("public").type(LoadBalancerTypeEnum.NETWORK)
                .subnets(privateSubnet)))
                .satisfies(code("InvalidSubnet"))
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorMessage())
                        .isEqualTo("VPC " + privateVpc + " has no internet gateway"));
        String internal = elb.createLoadBalancer(r -> r.name("private").type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(privateSubnet)).loadBalancers().get(0)
                .loadBalancerArn();

        // Targets must be running instances of the target group's VPC.
        String group = world.createTargetGroup(elb, "c1-6443", 6443);
        String elsewhere = ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large")
                .minCount(1).maxCount(1).subnetId(privateSubnet)).instances().get(0).instanceId();
        ec2.describeInstances(r -> r.instanceIds(elsewhere));
        ec2.describeInstances(r -> r.instanceIds(elsewhere));
        fails(() -> elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(elsewhere).build())), "InvalidTarget");
        fails(() -> elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id("i-0123456789abcdef0").build())), "InvalidTarget");
        // A target group in another VPC cannot serve this load balancer.
        fails(() -> Elbv2World.createListener(elb, internal, 6443, group), "InvalidConfigurationRequest");
        fails(() -> elb.createListener(r -> r.loadBalancerArn(internal).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(Elbv2World.forward(group))), "UnsupportedProtocol");
    }

    @Test
    void aTerminatedTargetIsUnusedWithTheModelsReasonCode() {
        start(Ec2EmulatorOptions.forTests(), Clock.systemUTC());
        Elbv2World world = Elbv2World.build(ec2, 1, 1);
        String nlb = world.createNlb(elb, "c1-api");
        String group = world.createTargetGroup(elb, "c1-6443", 6443);
        Elbv2World.createListener(elb, nlb, 6443, group);
        String instance = world.instanceIds().get(0);
        elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder().id(instance).build()));
        assertThat(health(group).get(0).targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY);

        ec2.terminateInstances(r -> r.instanceIds(instance));
        assertThat(health(group).get(0).targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
        ec2.describeInstances(r -> r.instanceIds(instance));
        ec2.describeInstances(r -> r.instanceIds(instance));
        assertThat(health(group).get(0).targetHealth())
                .satisfies(h -> assertThat(h.state()).isEqualTo(TargetHealthStateEnum.UNUSED))
                .satisfies(h -> assertThat(h.reasonAsString()).isEqualTo("Target.InvalidState"));
        fails(() -> elb.registerTargets(r -> r.targetGroupArn(group).targets(TargetDescription.builder()
                .id(instance).port(7000).build())), "InvalidTarget");
    }
}
