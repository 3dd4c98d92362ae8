package io.k0rdent.ops.provisioner.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The provisioner's door to ELBv2 (one region): a cluster's network load balancer, its TCP target groups and
 * listeners, and the registered controllers. Resources are found by their deterministic names (ELBv2 cannot filter
 * describes by tag), and every SDK exception becomes a typed {@link Ec2Failure} naming the resource.
 */
public class LoadBalancerCalls {

    private final ElasticLoadBalancingV2Client elb;

    public LoadBalancerCalls(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    /** What exists of a cluster's API endpoint. */
    public ObservedEndpoint observe(LoadBalancerNames names, List<Integer> ports) {
        LoadBalancer lb = call("DescribeLoadBalancers " + names.loadBalancer(), () -> {
            try {
                return elb.describeLoadBalancers(r -> r.names(names.loadBalancer())).loadBalancers().stream()
                        .findFirst().orElse(null);
            } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException e) {
                return null;
            }
        });
        Map<Integer, ObservedEndpoint.Group> groups = new LinkedHashMap<>();
        for (int port : ports) {
            TargetGroup group = targetGroup(names.targetGroup(port));
            if (group != null) {
                Set<String> targets = new TreeSet<>();
                call("DescribeTargetHealth " + group.targetGroupName(), () -> elb.describeTargetHealth(r -> r
                        .targetGroupArn(group.targetGroupArn())).targetHealthDescriptions())
                        .forEach(d -> targets.add(d.target().id()));
                groups.put(port, new ObservedEndpoint.Group(group.targetGroupArn(), targets));
            }
        }
        Set<Integer> listeners = new TreeSet<>();
        if (lb != null) {
            call("DescribeListeners " + names.loadBalancer(), () -> elb.describeListeners(r -> r
                    .loadBalancerArn(lb.loadBalancerArn())).listeners())
                    .forEach(l -> listeners.add(l.port()));
        }
        return new ObservedEndpoint(lb == null ? null : lb.loadBalancerArn(), lb == null ? null : lb.dnsName(),
                lb == null ? null : lb.state().codeAsString(), lb == null ? null : lb.schemeAsString(), groups,
                listeners);
    }

    private TargetGroup targetGroup(String name) {
        return call("DescribeTargetGroups " + name, () -> {
            try {
                return elb.describeTargetGroups(r -> r.names(name)).targetGroups().stream().findFirst().orElse(null);
            } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException e) {
                return null;
            }
        });
    }

    /**
     * A network load balancer over {@code subnets} (one per zone). ELBv2 answers an existing load balancer of the
     * same name and parameters again, so a repeated call after a crash creates nothing twice.
     */
    public ObservedEndpoint.Created createLoadBalancer(String name, List<String> subnets, boolean internetFacing,
                                                      Map<String, String> tags) {
        LoadBalancer lb = call("CreateLoadBalancer " + name, () -> elb.createLoadBalancer(r -> r.name(name)
                .type(LoadBalancerTypeEnum.NETWORK).subnets(subnets)
                .scheme(internetFacing ? LoadBalancerSchemeEnum.INTERNET_FACING : LoadBalancerSchemeEnum.INTERNAL)
                .tags(tags(tags))).loadBalancers().get(0));
        return new ObservedEndpoint.Created(lb.loadBalancerArn(), lb.dnsName());
    }

    /** A TCP target group of instances with TCP health checks on the traffic port. */
    public String createTargetGroup(String name, int port, String vpcId, Map<String, String> tags) {
        return call("CreateTargetGroup " + name, () -> elb.createTargetGroup(r -> r.name(name)
                .protocol(ProtocolEnum.TCP).port(port).vpcId(vpcId).targetType(TargetTypeEnum.INSTANCE)
                .healthCheckProtocol(ProtocolEnum.TCP).tags(tags(tags))).targetGroups().get(0).targetGroupArn());
    }

    public void createListener(String loadBalancerArn, int port, String targetGroupArn) {
        call("CreateListener " + port, () -> elb.createListener(r -> r.loadBalancerArn(loadBalancerArn)
                .protocol(ProtocolEnum.TCP).port(port).defaultActions(Action.builder().type(ActionTypeEnum.FORWARD)
                        .targetGroupArn(targetGroupArn).build())));
    }

    public void register(String targetGroupArn, List<String> instanceIds) {
        if (!instanceIds.isEmpty()) {
            call("RegisterTargets " + targetGroupArn, () -> elb.registerTargets(r -> r.targetGroupArn(targetGroupArn)
                    .targets(targets(instanceIds))));
        }
    }

    public void deregister(String targetGroupArn, List<String> instanceIds) {
        if (!instanceIds.isEmpty()) {
            call("DeregisterTargets " + targetGroupArn, () -> elb.deregisterTargets(r -> r
                    .targetGroupArn(targetGroupArn).targets(targets(instanceIds))));
        }
    }

    /** Deletes the load balancer; its listeners go with it. */
    public void deleteLoadBalancer(String arn) {
        call("DeleteLoadBalancer " + arn, () -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(arn)));
    }

    public void deleteTargetGroup(String arn) {
        call("DeleteTargetGroup " + arn, () -> elb.deleteTargetGroup(r -> r.targetGroupArn(arn)));
    }

    private static List<TargetDescription> targets(List<String> instanceIds) {
        return instanceIds.stream().map(id -> TargetDescription.builder().id(id).build()).toList();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    private static <T> T call(String resource, Supplier<T> action) {
        return Ec2Calls.call(resource, action); // the same SDK exceptions and AWS error codes as EC2's
    }
}
