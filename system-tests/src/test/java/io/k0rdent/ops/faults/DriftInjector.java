package io.k0rdent.ops.faults;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Drift made the way someone with console access would make it: through the AWS SDK against the emulator, outside
 * Git and outside the services. It revokes one CIDR ingress rule of a cluster's security group, and later tells
 * whether the rule is back.
 */
final class DriftInjector implements AutoCloseable {

    /** The rule taken away: which cluster and group, and the rule itself. */
    record Revoked(String cluster, String groupId, String protocol, Integer fromPort, Integer toPort, String cidr) {

        String describe() {
            return protocol + " " + fromPort + "-" + toPort + " from " + cidr + " in " + groupId + " (" + cluster + ")";
        }
    }

    private final Ec2Client ec2;

    DriftInjector(URI endpoint, String region) {
        // The emulator throttles 30 % of calls during the run: more attempts than the SDK's default three.
        this.ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("faults", "faults")))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(12)))
                .build();
    }

    /** Revokes the first CIDR ingress rule (by group id, then listing order) of the cluster's own groups. */
    Optional<Revoked> revokeOneIngressRule(String cluster) {
        List<SecurityGroup> groups = ec2.describeSecurityGroups(r -> r.filters(
                Filter.builder().name("tag:" + Ec2Inventory.CLUSTER_TAG).values(cluster).build())).securityGroups()
                .stream().filter(g -> !"default".equals(g.groupName()))
                .sorted(Comparator.comparing(SecurityGroup::groupId)).toList();
        for (SecurityGroup group : groups) {
            for (IpPermission permission : group.ipPermissions()) {
                if (permission.ipRanges().isEmpty()) {
                    continue;
                }
                String cidr = permission.ipRanges().get(0).cidrIp();
                IpPermission one = IpPermission.builder().ipProtocol(permission.ipProtocol())
                        .fromPort(permission.fromPort()).toPort(permission.toPort())
                        .ipRanges(IpRange.builder().cidrIp(cidr).build()).build();
                ec2.revokeSecurityGroupIngress(r -> r.groupId(group.groupId()).ipPermissions(one));
                return Optional.of(new Revoked(cluster, group.groupId(), permission.ipProtocol(), permission.fromPort(),
                        permission.toPort(), cidr));
            }
        }
        return Optional.empty();
    }

    /** Whether the group holds the revoked rule again. */
    boolean isBack(Revoked revoked) {
        return ec2.describeSecurityGroups(r -> r.groupIds(revoked.groupId())).securityGroups().stream()
                .flatMap(g -> g.ipPermissions().stream())
                .anyMatch(p -> p.ipProtocol().equals(revoked.protocol())
                        && java.util.Objects.equals(p.fromPort(), revoked.fromPort())
                        && java.util.Objects.equals(p.toPort(), revoked.toPort())
                        && p.ipRanges().stream().anyMatch(range -> range.cidrIp().equals(revoked.cidr())));
    }

    @Override
    public void close() {
        ec2.close();
    }
}
