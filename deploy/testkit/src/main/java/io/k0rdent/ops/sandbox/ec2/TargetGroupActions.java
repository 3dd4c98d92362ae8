package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.members;
import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.required;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InstanceState;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Listener;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancer;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Registration;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.TargetGroup;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.TargetGroupSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * ELBv2's target groups and their targets, for {@link LoadBalancerActions}: TCP target groups of instances, whose
 * health follows the instance, the load balancer and the {@link LoadBalancerTiming} delays.
 */
final class TargetGroupActions {

    /**
     * "With a Network Load Balancer, you cannot register instances by instance ID if they have the following instance
     * types: C1, CC1, CC2, CG1, CG2, CR1, CS1, G1, G2, HI1, HS1, M1, M2, M3, and T1" (service-2.json, RegisterTargets).
     */
    private static final Set<String> UNSUPPORTED_FAMILIES = Set.of("c1", "cc1", "cc2", "cg1", "cg2", "cr1", "cs1",
            "g1", "g2", "hi1", "hs1", "m1", "m2", "m3", "t1");

    private final Ec2State ec2;
    private final Elbv2State state;
    private final Ec2EmulatorOptions options;
    private final Supplier<String> arnPrefix;
    private final Supplier<String> hex;

    TargetGroupActions(Ec2State ec2, Ec2EmulatorOptions options, Supplier<String> arnPrefix, Supplier<String> hex) {
        this.ec2 = ec2;
        this.state = ec2.loadBalancing;
        this.options = options;
        this.arnPrefix = arnPrefix;
        this.hex = hex;
    }

    void handle(String action, QueryRequest request, Elbv2Xml out, List<String> created, Instant now) {
        switch (action) {
            case "CreateTargetGroup" -> createTargetGroup(request, out, created);
            case "DescribeTargetGroups" -> describeTargetGroups(request, out);
            case "DeleteTargetGroup" -> deleteTargetGroup(request);
            case "RegisterTargets" -> registerTargets(request, now);
            case "DeregisterTargets" -> deregisterTargets(request, now);
            case "DescribeTargetHealth" -> describeTargetHealth(request, out, now);
            default -> throw new IllegalArgumentException(action);
        }
    }

    /** Forgets targets whose deregistration delay has passed. */
    void releaseDrained(Instant now) {
        state.targetGroups.values().forEach(group -> group.registrations.removeIf(r -> r.deregisteredAt() != null
                && !now.isBefore(r.deregisteredAt().plus(options.loadBalancerTiming().deregistration()))));
    }

    static Ec2Error targetGroupNotFound() {
        return Ec2Error.client("TargetGroupNotFound", "One or more target groups not found");
    }

    TargetGroup targetGroup(String arn) {
        TargetGroup group = state.targetGroups.get(arn);
        if (group == null) {
            throw targetGroupNotFound();
        }
        return group;
    }

    /** The target group of a listener's {@code DefaultActions}: exactly one {@code forward} to a target group. */
    TargetGroup defaultForwardTarget(QueryRequest request) {
        int actions = request.structCount("DefaultActions.member");
        if (actions == 0) {
            throw Elbv2Xml.validation("A default action must be specified");
        }
        if (actions > 1) {
            throw Elbv2Params.notModelled("More than one default action");
        }
        String type = required(request, "DefaultActions.member.1.Type", "An action type");
        if (!type.equals("forward")) {
            throw Elbv2Params.notModelled("A '" + type + "' action");
        }
        String arn = request.get("DefaultActions.member.1.TargetGroupArn");
        if (arn == null) {
            throw Elbv2Params.notModelled("A forward action without TargetGroupArn (ForwardConfig)");
        }
        return targetGroup(arn);
    }

    // ---- Target groups -------------------------------------------------------------------------------------

    private void createTargetGroup(QueryRequest request, Elbv2Xml out, List<String> created) {
        String name = required(request, "Name", "A target group name");
        Elbv2Params.checkName(name, "target group");
        String targetType = request.get("TargetType") == null ? "instance" : request.get("TargetType");
        if (!targetType.equals("instance")) {
            throw Elbv2Params.notModelled("TargetType '" + targetType + "'");
        }
        String protocol = required(request, "Protocol", "A target group protocol");
        if (!protocol.equals("TCP")) {
            throw Elbv2Params.notModelled("A " + protocol + " target group");
        }
        int port = Elbv2Params.port(request, "Port", "A target group port");
        String vpcId = required(request, "VpcId", "A VPC ID");
        if (!ec2.vpcs.containsKey(vpcId)) {
            throw Elbv2Xml.validation("The VPC ID '" + vpcId + "' is not found");
        }
        String healthProtocol = request.get("HealthCheckProtocol") == null ? "TCP" : request.get("HealthCheckProtocol");
        if (!healthProtocol.equals("TCP")) {
            throw Elbv2Params.notModelled("HealthCheckProtocol '" + healthProtocol + "'");
        }
        for (String member : List.of("HealthCheckPath", "Matcher.HttpCode", "Matcher.GrpcCode", "ProtocolVersion")) {
            if (request.get(member) != null) {
                throw Elbv2Xml.validation(member + " is not supported for target groups with the TCP protocol");
            }
        }
        String healthPort = request.get("HealthCheckPort") == null ? "traffic-port" : request.get("HealthCheckPort");
        if (!healthPort.equals("traffic-port") && !healthPort.matches("[1-9][0-9]{0,4}")) {
            throw Elbv2Xml.validation("Health check port '" + healthPort + "' must be 'traffic-port' or a port");
        }
        if (request.get("HealthCheckEnabled") != null && !Boolean.parseBoolean(request.get("HealthCheckEnabled"))) {
            throw Elbv2Xml.validation("Health checks cannot be disabled for target groups with target type 'instance'");
        }
        String ipAddressType = request.get("IpAddressType") == null ? "ipv4" : request.get("IpAddressType");
        if (!ipAddressType.equals("ipv4")) {
            throw Elbv2Params.notModelled("IpAddressType '" + ipAddressType + "'");
        }
        // The defaults the model documents for TCP target groups.
        TargetGroupSettings settings = new TargetGroupSettings(protocol, port, vpcId, targetType, healthProtocol,
                healthPort, true, orDefault(request, "HealthCheckIntervalSeconds", 30),
                orDefault(request, "HealthCheckTimeoutSeconds", 10), orDefault(request, "HealthyThresholdCount", 5),
                orDefault(request, "UnhealthyThresholdCount", 2), ipAddressType);
        Map<String, String> tags = Elbv2Params.tags(request, "Tags");
        for (TargetGroup existing : state.targetGroups.values()) {
            if (existing.name.equals(name)) {
                if (!existing.settings.equals(settings)) {
                    throw Ec2Error.client("DuplicateTargetGroupName", "A target group with the same name '" + name
                            + "' exists, but with different settings");
                }
                out.start("TargetGroups");
                writeTargetGroup(out, existing); // "multiple target groups with the same settings: each call succeeds"
                out.end();
                return;
            }
        }
        TargetGroup group = new TargetGroup(arnPrefix.get() + "targetgroup/" + name + "/" + hex.get(), name, settings);
        Elbv2Params.addTags(group.tags, tags, group.arn);
        state.targetGroups.put(group.arn, group);
        created.add(group.arn);
        out.start("TargetGroups");
        writeTargetGroup(out, group);
        out.end();
    }

    private static int orDefault(QueryRequest request, String name, int defaultValue) {
        Integer value = Elbv2Params.intOrNull(request, name);
        return value == null ? defaultValue : value;
    }

    private void writeTargetGroup(Elbv2Xml out, TargetGroup group) {
        TargetGroupSettings s = group.settings;
        out.start("member").text("TargetGroupArn", group.arn).text("TargetGroupName", group.name)
                .text("Protocol", s.protocol()).text("Port", s.port()).text("VpcId", s.vpcId())
                .text("HealthCheckProtocol", s.healthCheckProtocol()).text("HealthCheckPort", s.healthCheckPort())
                .text("HealthCheckEnabled", s.healthCheckEnabled())
                .text("HealthCheckIntervalSeconds", s.healthCheckIntervalSeconds())
                .text("HealthCheckTimeoutSeconds", s.healthCheckTimeoutSeconds())
                .text("HealthyThresholdCount", s.healthyThresholdCount())
                .text("UnhealthyThresholdCount", s.unhealthyThresholdCount())
                .strings("LoadBalancerArns", loadBalancersOf(group).stream().map(lb -> lb.arn).toList())
                .text("TargetType", s.targetType()).text("IpAddressType", s.ipAddressType()).end();
    }

    /** The live load balancers whose listeners forward to {@code group}. */
    private List<LoadBalancer> loadBalancersOf(TargetGroup group) {
        return state.listenersForwardingTo(group.arn).stream().map(l -> state.loadBalancers.get(l.loadBalancerArn()))
                .filter(lb -> lb != null && lb.live()).distinct().toList();
    }

    private void describeTargetGroups(QueryRequest request, Elbv2Xml out) {
        String loadBalancerArn = request.get("LoadBalancerArn");
        List<String> arns = members(request, "TargetGroupArns");
        List<String> names = members(request, "Names");
        Stream<TargetGroup> selected = state.targetGroups.values().stream();
        if (loadBalancerArn != null) {
            LoadBalancer loadBalancer = state.loadBalancers.get(loadBalancerArn);
            if (loadBalancer == null || !loadBalancer.live()) {
                throw LoadBalancerActions.loadBalancerNotFound(loadBalancerArn);
            }
            selected = selected.filter(group -> loadBalancersOf(group).contains(loadBalancer));
        }
        List<TargetGroup> candidates = selected.toList();
        List<TargetGroup> result = new ArrayList<>(candidates);
        if (!arns.isEmpty() || !names.isEmpty()) {
            result.clear();
            for (String wanted : arns.isEmpty() ? names : arns) {
                result.add(candidates.stream().filter(g -> wanted.equals(arns.isEmpty() ? g.name : g.arn))
                        .findFirst().orElseThrow(TargetGroupActions::targetGroupNotFound));
            }
        }
        Elbv2Xml.Page<TargetGroup> page = Elbv2Xml.page(result, request);
        out.start("TargetGroups");
        page.items().forEach(group -> writeTargetGroup(out, group));
        out.end().text("NextMarker", page.nextMarker());
    }

    /** "You can delete a target group if it is not referenced by any actions"; an unknown one is no error. */
    private void deleteTargetGroup(QueryRequest request) {
        String arn = required(request, "TargetGroupArn", "A target group ARN");
        if (!state.listenersForwardingTo(arn).isEmpty()) {
            throw Ec2Error.client("ResourceInUse", "Target group '" + arn
                    + "' is currently in use by a listener or a rule");
        }
        state.targetGroups.remove(arn);
    }

    // ---- Targets -------------------------------------------------------------------------------------------

    private record Target(String id, int port) {
    }

    /** {@code Targets.member.N}: instance ids with an optional port (the group's port by default). */
    private static List<Target> targets(QueryRequest request, TargetGroup group) {
        int count = request.structCount("Targets.member");
        if (count == 0) {
            throw Elbv2Xml.validation("At least one target must be specified");
        }
        List<Target> targets = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String prefix = "Targets.member." + i + ".";
            if (request.get(prefix + "AvailabilityZone") != null) {
                throw Elbv2Xml.validation("AvailabilityZone is not supported for targets of type 'instance'");
            }
            Integer port = Elbv2Params.intOrNull(request, prefix + "Port");
            targets.add(new Target(required(request, prefix + "Id", "A target ID"),
                    port == null ? group.settings.port() : port));
        }
        return targets;
    }

    /** Each target must be an existing instance; {@code InvalidTarget} names the ones that are not. */
    private List<Instance> instances(List<Target> targets) {
        List<String> unknown = targets.stream().map(Target::id).filter(id -> !ec2.instances.containsKey(id))
                .distinct().toList();
        if (!unknown.isEmpty()) {
            throw invalidTarget("The following targets are not valid instances", unknown);
        }
        return targets.stream().map(t -> ec2.instances.get(t.id())).toList();
    }

    private static Ec2Error invalidTarget(String what, List<String> ids) {
        return Ec2Error.client("InvalidTarget", what + ": '" + String.join("', '", ids) + "'");
    }

    /** "If the target is an EC2 instance, it must be in the running state when you register it." */
    private void registerTargets(QueryRequest request, Instant now) {
        TargetGroup group = targetGroup(required(request, "TargetGroupArn", "A target group ARN"));
        List<Target> targets = targets(request, group);
        List<Instance> instances = instances(targets);
        List<String> otherVpc = instances.stream().filter(i -> !i.vpcId.equals(group.settings.vpcId()))
                .map(i -> i.id).distinct().toList();
        if (!otherVpc.isEmpty()) {
            throw invalidTarget("The following targets are not in the target group VPC '" + group.settings.vpcId()
                    + "'", otherVpc);
        }
        List<String> unsupported = instances.stream()
                .filter(i -> UNSUPPORTED_FAMILIES.contains(i.instanceType.split("\\.")[0])).map(i -> i.id)
                .distinct().toList();
        if (!unsupported.isEmpty()) {
            throw invalidTarget("The following targets have instance types that a Network Load Balancer cannot "
                    + "register by instance ID", unsupported);
        }
        List<String> notRunning = instances.stream().filter(i -> i.state != InstanceState.RUNNING).map(i -> i.id)
                .distinct().toList();
        if (!notRunning.isEmpty()) {
            throw invalidTarget("The following targets are not in a running state and cannot be registered",
                    notRunning);
        }
        for (Target target : targets) {
            // Registering again is a no-op, except that a draining target is registered anew.
            group.registrations.removeIf(r -> r.sameTarget(target.id(), target.port()) && r.deregisteredAt() != null);
            if (group.registrations.stream().noneMatch(r -> r.sameTarget(target.id(), target.port()))) {
                group.registrations.add(new Registration(target.id(), target.port(), now, null));
            }
        }
    }

    private void deregisterTargets(QueryRequest request, Instant now) {
        TargetGroup group = targetGroup(required(request, "TargetGroupArn", "A target group ARN"));
        List<Target> targets = targets(request, group);
        instances(targets);
        List<String> notRegistered = targets.stream().filter(t -> group.registrations.stream()
                .noneMatch(r -> r.sameTarget(t.id(), t.port()))).map(Target::id).toList();
        if (!notRegistered.isEmpty()) {
            throw invalidTarget("The following targets are not registered in target group '" + group.arn + "'",
                    notRegistered);
        }
        group.registrations.replaceAll(r -> r.deregisteredAt() == null
                && targets.stream().anyMatch(t -> r.sameTarget(t.id(), t.port()))
                ? new Registration(r.targetId(), r.port(), r.registeredAt(), now) : r);
    }

    private record Health(String state, String reason, String description) {
    }

    private void describeTargetHealth(QueryRequest request, Elbv2Xml out, Instant now) {
        TargetGroup group = targetGroup(required(request, "TargetGroupArn", "A target group ARN"));
        List<Registration> described = new ArrayList<>();
        if (request.structCount("Targets.member") > 0) {
            List<Target> targets = targets(request, group);
            instances(targets);
            for (Target target : targets) {
                described.add(group.registrations.stream().filter(r -> r.sameTarget(target.id(), target.port()))
                        .findFirst().orElse(new Registration(target.id(), target.port(), null, null)));
            }
        } else {
            described.addAll(group.registrations);
        }
        out.start("TargetHealthDescriptions");
        for (Registration registration : described) {
            Health health = health(group, registration, now);
            out.start("member").start("Target").text("Id", registration.targetId())
                    .text("Port", registration.port()).end()
                    .text("HealthCheckPort", group.settings.healthCheckPort().equals("traffic-port")
                            ? String.valueOf(registration.port()) : group.settings.healthCheckPort())
                    .start("TargetHealth").text("State", health.state()).text("Reason", health.reason())
                    .text("Description", health.description()).end().end();
        }
        out.end();
    }

    /** Whether the load balancer sends new connections to this target now. */
    boolean healthy(TargetGroup group, Registration registration, Instant now) {
        return health(group, registration, now).state().equals("healthy");
    }

    /** The target's health as the model's TargetHealth documents its states and reason codes. */
    private Health health(TargetGroup group, Registration registration, Instant now) {
        if (registration.registeredAt() == null) {
            return new Health("unused", "Target.NotRegistered", "Target is not registered to the target group");
        }
        if (registration.deregisteredAt() != null) {
            return new Health("draining", "Target.DeregistrationInProgress", "Target deregistration is in progress");
        }
        Instance instance = ec2.instances.get(registration.targetId());
        if (instance.state == InstanceState.STOPPED || instance.state == InstanceState.TERMINATED) {
            return new Health("unused", "Target.InvalidState", "Target is in the " + instance.state.apiName
                    + " state");
        }
        List<Listener> listeners = state.listenersForwardingTo(group.arn);
        if (listeners.isEmpty()) {
            return new Health("unused", "Target.NotInUse",
                    "Target group is not configured to receive traffic from the load balancer");
        }
        Listener listener = listeners.get(0);
        LoadBalancer loadBalancer = state.loadBalancers.get(listener.loadBalancerArn());
        if (!loadBalancer.zones().contains(instance.availabilityZone)) {
            // Cross-zone load balancing is off by default for network load balancers.
            return new Health("unused", "Target.NotInUse",
                    "Target is in an Availability Zone that is not enabled for the load balancer");
        }
        if (instance.state != InstanceState.RUNNING) {
            return new Health("unhealthy", "Target.FailedHealthChecks", "Health checks failed");
        }
        Instant active = loadBalancer.createdAt.plus(options.loadBalancerTiming().provisioning());
        if (now.isBefore(active)) {
            return new Health("initial", "Elb.RegistrationInProgress", "Target registration is in progress");
        }
        Instant checksFrom = Stream.of(registration.registeredAt(), listener.createdAt(), active)
                .max(Instant::compareTo).orElseThrow();
        if (now.isBefore(checksFrom.plus(options.loadBalancerTiming().initialHealth()))) {
            return new Health("initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
        }
        return new Health("healthy", null, null);
    }
}
