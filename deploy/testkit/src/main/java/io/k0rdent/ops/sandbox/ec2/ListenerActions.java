package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.members;
import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.required;

import io.k0rdent.ops.sandbox.ec2.Elbv2State.Listener;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancer;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.TargetGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** ELBv2's listeners of network load balancers: TCP listeners whose one default action forwards to a target group. */
final class ListenerActions {

    /** An NLB quota: listeners per network load balancer, not adjustable (AWS, "Quotas for your NLBs"). */
    private static final int MAX_LISTENERS = 50;

    private final Elbv2State state;
    private final Function<String, LoadBalancer> liveLoadBalancer;
    private final TargetGroupActions targetGroups;
    private final Supplier<String> arnPrefix;
    private final Supplier<String> hex;

    /** @param liveLoadBalancer a live load balancer by ARN, or {@code LoadBalancerNotFound} */
    ListenerActions(Elbv2State state, Function<String, LoadBalancer> liveLoadBalancer,
                    TargetGroupActions targetGroups, Supplier<String> arnPrefix, Supplier<String> hex) {
        this.state = state;
        this.liveLoadBalancer = liveLoadBalancer;
        this.targetGroups = targetGroups;
        this.arnPrefix = arnPrefix;
        this.hex = hex;
    }

    void createListener(QueryRequest request, Elbv2Xml out, List<String> created, Instant now) {
        LoadBalancer loadBalancer = liveLoadBalancer.apply(required(request, "LoadBalancerArn", "A load balancer ARN"));
        String protocol = required(request, "Protocol", "A listener protocol");
        switch (protocol) {
            case "TCP" -> { }
            case "HTTP", "HTTPS", "GENEVE" -> throw Ec2Error.client("UnsupportedProtocol", "Protocol '" + protocol
                    + "' is not supported for load balancers of type 'network'");
            default -> throw Elbv2Params.notModelled("A " + protocol + " listener");
        }
        int port = Elbv2Params.port(request, "Port", "A listener port");
        for (String member : List.of("SslPolicy", "Certificates.member.1.CertificateArn", "AlpnPolicy.member.1")) {
            if (request.get(member) != null) {
                throw Elbv2Xml.validation(member.substring(0, member.indexOf('.') < 0 ? member.length()
                        : member.indexOf('.')) + " applies only to TLS and HTTPS listeners");
            }
        }
        TargetGroup group = targetGroups.defaultForwardTarget(request);
        if (!group.settings.vpcId().equals(loadBalancer.vpcId)) {
            throw Ec2Error.client("InvalidConfigurationRequest", "The target group '" + group.arn
                    + "' is not in the VPC of the load balancer ('" + loadBalancer.vpcId + "')");
        }
        if (!group.settings.protocol().equals(protocol)) {
            throw Ec2Error.client("IncompatibleProtocols", "The listener protocol '" + protocol
                    + "' is not compatible with the protocol of target group '" + group.arn + "'");
        }
        // A network load balancer's target group serves only that load balancer.
        List<String> otherBalancers = state.listenersForwardingTo(group.arn).stream()
                .map(Listener::loadBalancerArn).filter(arn -> !arn.equals(loadBalancer.arn)).toList();
        if (!otherBalancers.isEmpty()) {
            throw Ec2Error.client("TargetGroupAssociationLimit", "The following target groups cannot be associated "
                    + "with more than one load balancer: '" + group.arn + "'");
        }
        Map<String, String> tags = Elbv2Params.tags(request, "Tags");
        List<Listener> ofBalancer = state.listeners.values().stream()
                .filter(l -> l.loadBalancerArn().equals(loadBalancer.arn)).toList();
        for (Listener existing : ofBalancer) {
            if (existing.port() == port) {
                if (!existing.protocol().equals(protocol) || !existing.targetGroupArn().equals(group.arn)) {
                    throw Ec2Error.client("DuplicateListener", "A listener already exists on this port for this "
                            + "load balancer '" + loadBalancer.arn + "'");
                }
                out.start("Listeners");
                writeListener(out, existing); // "multiple listeners with the same settings: each call succeeds"
                out.end();
                return;
            }
        }
        if (ofBalancer.size() >= MAX_LISTENERS) {
            throw Ec2Error.client("TooManyListeners", "You've reached the limit on the number of listeners per "
                    + "load balancer (" + MAX_LISTENERS + ")");
        }
        Listener listener = new Listener(arnPrefix.get() + "listener/net/" + loadBalancer.name + "/" + loadBalancer.id
                + "/" + hex.get(), loadBalancer.arn, protocol, port, group.arn, now, new LinkedHashMap<>());
        Elbv2Params.addTags(listener.tags(), tags, listener.arn());
        state.listeners.put(listener.arn(), listener);
        created.add(listener.arn());
        out.start("Listeners");
        writeListener(out, listener);
        out.end();
    }

    private static void writeListener(Elbv2Xml out, Listener listener) {
        out.start("member").text("ListenerArn", listener.arn()).text("LoadBalancerArn", listener.loadBalancerArn())
                .text("Port", listener.port()).text("Protocol", listener.protocol())
                .start("DefaultActions").start("member").text("Type", "forward")
                .text("TargetGroupArn", listener.targetGroupArn()).end().end()
                .end();
    }

    void describeListeners(QueryRequest request, Elbv2Xml out) {
        String loadBalancerArn = request.get("LoadBalancerArn");
        List<String> arns = members(request, "ListenerArns");
        if (loadBalancerArn == null && arns.isEmpty()) {
            throw Elbv2Xml.validation("You must specify either listener ARNs or a load balancer ARN");
        }
        List<Listener> selected = new ArrayList<>();
        if (loadBalancerArn != null) {
            liveLoadBalancer.apply(loadBalancerArn);
            state.listeners.values().stream().filter(l -> l.loadBalancerArn().equals(loadBalancerArn))
                    .filter(l -> arns.isEmpty() || arns.contains(l.arn())).forEach(selected::add);
        }
        for (String arn : arns) {
            Listener listener = listener(arn);
            if (loadBalancerArn == null) {
                selected.add(listener);
            }
        }
        Elbv2Xml.Page<Listener> page = Elbv2Xml.page(selected, request);
        out.start("Listeners");
        page.items().forEach(l -> writeListener(out, l));
        out.end().text("NextMarker", page.nextMarker());
    }

    private Listener listener(String arn) {
        Listener listener = state.listeners.get(arn);
        if (listener == null) {
            throw listenerNotFound();
        }
        return listener;
    }

    static Ec2Error listenerNotFound() {
        return Ec2Error.client("ListenerNotFound", "One or more listeners not found");
    }

    void deleteListener(QueryRequest request) {
        state.listeners.remove(listener(required(request, "ListenerArn", "A listener ARN")).arn());
    }
}
