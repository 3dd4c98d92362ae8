package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.members;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** ELBv2's {@code AddTags}, {@code RemoveTags} and {@code DescribeTags} on load balancers, target groups, listeners. */
final class Elbv2TagActions {

    private final Elbv2State state;
    private final Supplier<String> arnPrefix;

    Elbv2TagActions(Elbv2State state, Supplier<String> arnPrefix) {
        this.state = state;
        this.arnPrefix = arnPrefix;
    }

    /** The tags of a resource by ARN, or the not-found code of its kind. */
    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = state.tagsOf(arn);
        if (tags != null) {
            return tags;
        }
        String kind = arn.startsWith(arnPrefix.get()) ? arn.substring(arnPrefix.get().length()) : "";
        if (kind.startsWith("loadbalancer/")) {
            throw LoadBalancerActions.loadBalancerNotFound(arn);
        } else if (kind.startsWith("targetgroup/")) {
            throw TargetGroupActions.targetGroupNotFound();
        } else if (kind.startsWith("listener/")) {
            throw ListenerActions.listenerNotFound();
        }
        throw Elbv2Xml.validation("'" + arn + "' is not a valid load balancer, target group or listener ARN");
    }

    void addTags(QueryRequest request) {
        Map<String, String> tags = Elbv2Params.tags(request, "Tags");
        List<String> arns = members(request, "ResourceArns");
        arns.forEach(this::tagsOf); // all exist before any changes
        arns.forEach(arn -> Elbv2Params.addTags(tagsOf(arn), tags, arn));
    }

    void removeTags(QueryRequest request) {
        List<String> keys = members(request, "TagKeys");
        List<String> arns = members(request, "ResourceArns");
        arns.forEach(this::tagsOf);
        arns.forEach(arn -> tagsOf(arn).keySet().removeAll(keys));
    }

    void describeTags(QueryRequest request, Elbv2Xml out) {
        List<String> arns = members(request, "ResourceArns");
        if (arns.size() > 20) {
            throw Elbv2Xml.validation("You can specify up to 20 resources in a single call");
        }
        out.start("TagDescriptions");
        for (String arn : arns) {
            out.start("member").text("ResourceArn", arn).tags(tagsOf(arn)).end();
        }
        out.end();
    }
}
