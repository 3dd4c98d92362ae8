package io.k0rdent.ops.deploy.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the EC2 and ELBv2 API calls in the provisioner's source, so the policy can be checked against the
 * code as it evolves. Only files importing the AWS SDK's EC2 or ELBv2 package are read (the adapters); in
 * them, a call like {@code ec2.runInstances(} or {@code ec2.describeInstancesPaginator(} is the action
 * {@code ec2:RunInstances} / {@code ec2:DescribeInstances}, and {@code elb.createLoadBalancer(} in an ELBv2
 * adapter {@code elasticloadbalancing:CreateLoadBalancer}. ELBv2 authorizes tags given at creation as
 * {@code elasticloadbalancing:AddTags} too, so a create implies it. A heuristic, not a compiler: it errs on the
 * side of naming an action too many, which a reviewer then adds to the policy or dismisses.
 */
public final class Ec2CallScanner {

    private static final Pattern CALL = Pattern.compile(
            "\\.((?:create|delete|describe|run|terminate|start|stop|reboot|authorize|revoke|attach|detach|associate"
                    + "|disassociate|modify|allocate|release|import|replace|register|deregister)[A-Z]\\w*?)(?:Paginator)?\\s*\\(");

    private static final String EC2_PACKAGE = "software.amazon.awssdk.services.ec2";
    private static final String ELBV2_PACKAGE = "software.amazon.awssdk.services.elasticloadbalancingv2";

    /** Request builder setters that look like actions but are fields of a request. */
    private static final Set<String> BUILDER_FIELDS = Set.of("associatePublicIpAddress", "deleteOnTermination",
            "associateCarrierIpAddress");

    private Ec2CallScanner() {
    }

    /** @return action ({@code ec2:RunInstances}) to the first file calling it, relative to {@code sources} */
    public static Map<String, Path> actions(Path sources) {
        Map<String, Path> actions = new TreeMap<>();
        if (!Files.isDirectory(sources)) {
            return actions;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                // An ELBv2 adapter also mentions EC2 nowhere; a file importing both (client wiring) calls neither.
                String prefix = source.contains("import " + ELBV2_PACKAGE) ? "elasticloadbalancing:"
                        : source.contains("import " + EC2_PACKAGE) ? "ec2:" : null;
                if (prefix == null) {
                    continue;
                }
                Matcher call = CALL.matcher(source);
                while (call.find()) {
                    String method = call.group(1);
                    if (BUILDER_FIELDS.contains(method)) {
                        continue;
                    }
                    String action = prefix + Character.toUpperCase(method.charAt(0)) + method.substring(1);
                    actions.putIfAbsent(action, sources.relativize(file));
                    if (action.startsWith("elasticloadbalancing:Create")) {
                        actions.putIfAbsent("elasticloadbalancing:AddTags", sources.relativize(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return actions;
    }
}
