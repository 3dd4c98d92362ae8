package io.k0rdent.ops.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.deploy.Fixtures;
import io.k0rdent.ops.deploy.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** deploy/aws/iam-policy.json is valid, EC2-only, wildcard-free, tag-conditioned, and covers the provisioner's calls. */
class IamPolicyTest {

    static final Path ROOT = RepositoryRoot.locate();
    static final Path POLICY = ROOT.resolve("deploy/aws/iam-policy.json");

    static IamPolicy policy() throws IOException {
        return IamPolicy.read(POLICY);
    }

    static Set<String> allowed(IamPolicy policy) {
        return policy.statements().stream().flatMap(s -> s.actions().stream()).collect(Collectors.toSet());
    }

    @Test
    void thePolicyIsValidAndPassesEveryRule() throws IOException {
        assertThat(IamPolicyCheck.problems(policy())).isEmpty();
    }

    @Test
    void everyActionIsANamedEc2OrElbv2Action() throws IOException {
        assertThat(allowed(policy())).isNotEmpty()
                .allSatisfy(action -> assertThat(action).matches("(ec2|elasticloadbalancing):[A-Za-z]+"));
    }

    @Test
    void everyChangeIsConditionedOnTheClusterTag() throws IOException {
        for (IamStatement statement : policy().statements()) {
            boolean changes = statement.actions().stream().anyMatch(a -> !IamPolicyCheck.readOnly(a));
            if (changes && !IamPolicyCheck.launchSideOnly(statement)) {
                assertThat(statement.conditionKeys()).as(statement.sid())
                        .containsAnyOf("aws:RequestTag/k0rdent.io/cluster", "ec2:ResourceTag/k0rdent.io/cluster",
                                "ec2:CreateAction", "aws:ResourceTag/k0rdent.io/cluster",
                                "elasticloadbalancing:CreateAction");
            }
            if (!changes) {
                assertThat(statement.resources()).as(statement.sid()).containsExactly("*");
            }
        }
    }

    @Test
    void theReadmeExplainsEveryStatement() throws IOException {
        String readme = Files.readString(ROOT.resolve("deploy/aws/README.md"));

        assertThat(policy().statements()).allSatisfy(s -> assertThat(readme).contains("`" + s.sid() + "`"));
    }

    @Test
    void thePolicyAllowsEveryEc2CallOfTheProvisioner() throws IOException {
        // The provisioner is written alongside this policy; this fails as soon as it calls something new.
        Path sources = ROOT.resolve("provisioner-service/src/main/java");
        Set<String> allowed = allowed(policy());

        List<String> missing = Ec2CallScanner.actions(sources).entrySet().stream()
                .filter(call -> !allowed.contains(call.getKey()))
                .map(call -> "provisioner calls " + call.getKey() + " (" + call.getValue()
                        + "), which deploy/aws/iam-policy.json does not allow")
                .toList();
        assertThat(missing).isEmpty();
    }

    @Test
    void thePolicyAllowsNothingTheProvisionerDoesNotCall() throws IOException {
        // Least privilege: an action the code no longer calls is dropped from the policy too.
        Set<String> called = Ec2CallScanner.actions(ROOT.resolve("provisioner-service/src/main/java")).keySet();

        assertThat(allowed(policy())).allSatisfy(action -> assertThat(called).as("called by the provisioner").contains(action));
    }

    @Test
    void theScannerNamesSdkCallsAsActions(@org.junit.jupiter.api.io.TempDir Path sources) throws IOException {
        Files.writeString(sources.resolve("Ec2Adapter.java"), """
                import software.amazon.awssdk.services.ec2.Ec2Client;
                class Ec2Adapter {
                    void run(Ec2Client ec2) {
                        ec2.runInstances(r -> r.networkInterfaces(n -> n.associatePublicIpAddress(true)));
                        ec2.describeInstancesPaginator(r -> r.maxResults(5));
                        ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds("i-1"));
                    }
                }
                """);
        Files.writeString(sources.resolve("Unrelated.java"), "class Unrelated { void f(Object o) { o.deleteVpc(); } }");

        assertThat(Ec2CallScanner.actions(sources)).containsOnlyKeys("ec2:RunInstances", "ec2:DescribeInstances");
    }

    @Test
    void theScannerNamesElbv2CallsAndTheTaggingTheirCreatesImply(@org.junit.jupiter.api.io.TempDir Path sources)
            throws IOException {
        Files.writeString(sources.resolve("ElbAdapter.java"), """
                import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
                class ElbAdapter {
                    void run(ElasticLoadBalancingV2Client elb) {
                        elb.createLoadBalancer(r -> r.name("x"));
                        elb.registerTargets(r -> r.targetGroupArn("arn"));
                    }
                }
                """);

        assertThat(Ec2CallScanner.actions(sources)).containsOnlyKeys("elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:AddTags");
    }

    @Test
    void aWildcardActionFails() throws IOException {
        assertThat(IamPolicyCheck.problems(IamPolicy.read(Fixtures.path("aws/wildcard-action.json"))))
                .containsExactly("ReadEverything: ec2:Describe* is a wildcard; name each action");
    }

    @Test
    void anUnconditionedChangeFails() throws IOException {
        assertThat(IamPolicyCheck.problems(IamPolicy.read(Fixtures.path("aws/unconditioned-terminate.json")))).containsExactly(
                "TerminateAnything: ec2:TerminateInstances is not conditioned on the k0rdent.io/cluster tag",
                "ec2:TerminateInstances has no statement conditioned on the k0rdent.io/cluster tag");
    }

    @Test
    void aNonEc2ActionFails() throws IOException {
        assertThat(IamPolicyCheck.problems(IamPolicy.read(Fixtures.path("aws/not-ec2.json")))).containsExactly(
                "AlsoIam: iam:PassRole is not an EC2 or ELBv2 action",
                "AlsoIam: a change is allowed on Resource \"*\"");
    }

    @Test
    void createTagsWithoutCreateActionFails() throws IOException {
        assertThat(IamPolicyCheck.problems(IamPolicy.read(Fixtures.path("aws/tag-anything.json")))).containsExactly(
                "TagOwned: ec2:CreateTags must be limited to resources being created (ec2:CreateAction) or owned without "
                        + "touching the k0rdent.io/cluster tag (ec2:ResourceTag/k0rdent.io/cluster and aws:TagKeys); "
                        + "otherwise the provisioner could tag, and so take over, any resource");
    }

    @Test
    void malformedJsonFailsToLoad() {
        assertThatThrownBy(() -> IamPolicy.read(Fixtures.path("aws/malformed.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed.json is not valid JSON: ");
    }
}
