package io.k0rdent.ops.provisioner.aws;

import java.util.List;
import java.util.Map;

/** One RunInstances call for one node: everything EC2 needs plus the idempotency token and the tags. */
public record LaunchSpec(String imageId, String instanceType, String keyName, String subnetId,
                         String availabilityZone, List<String> securityGroupIds, boolean publicIp,
                         String clientToken, Map<String, String> tags, String label) {

    public LaunchSpec {
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
    }
}
