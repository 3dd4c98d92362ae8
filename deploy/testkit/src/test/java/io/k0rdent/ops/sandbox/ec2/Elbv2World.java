package io.k0rdent.ops.sandbox.ec2;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * What the ELBv2 tests build with the real SDK: a VPC with an attached internet gateway, one subnet per zone and
 * running instances, then a network load balancer with the cluster's listeners (6443, 9443, 8132).
 */
record Elbv2World(String vpcId, String gatewayId, List<String> subnetIds, List<String> instanceIds) {

    static final List<Integer> PORTS = List.of(6443, 9443, 8132);

    /** {@code instances} running t3.large instances, spread over the subnets. */
    static Elbv2World build(Ec2Client ec2, int subnets, int instances) {
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String gatewayId = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(gatewayId).vpcId(vpcId));
        List<String> subnetIds = new ArrayList<>();
        for (int i = 0; i < subnets; i++) {
            int index = i;
            subnetIds.add(ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0." + index + ".0/24")
                    .availabilityZone("us-east-1" + (char) ('a' + index))).subnet().subnetId());
        }
        List<String> instanceIds = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            String subnetId = subnetIds.get(i % subnets);
            instanceIds.add(ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large")
                    .minCount(1).maxCount(1).keyName("k0rdent").subnetId(subnetId)).instances().get(0).instanceId());
        }
        if (!instanceIds.isEmpty()) {
            // The waiter's polls: pending, then running.
            ec2.describeInstances(r -> r.instanceIds(instanceIds));
            ec2.describeInstances(r -> r.instanceIds(instanceIds));
        }
        return new Elbv2World(vpcId, gatewayId, subnetIds, instanceIds);
    }

    String createNlb(ElasticLoadBalancingV2Client elb, String name) {
        return elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).subnets(subnetIds)).loadBalancers().get(0)
                .loadBalancerArn();
    }

    String createTargetGroup(ElasticLoadBalancingV2Client elb, String name, int port) {
        return elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.TCP).port(port).vpcId(vpcId))
                .targetGroups().get(0).targetGroupArn();
    }

    static String createListener(ElasticLoadBalancingV2Client elb, String loadBalancerArn, int port,
                                 String targetGroupArn) {
        return elb.createListener(r -> r.loadBalancerArn(loadBalancerArn).protocol(ProtocolEnum.TCP).port(port)
                .defaultActions(forward(targetGroupArn))).listeners().get(0).listenerArn();
    }

    static Action forward(String targetGroupArn) {
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
    }
}
