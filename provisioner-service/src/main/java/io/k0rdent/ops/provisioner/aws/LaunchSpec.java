package io.k0rdent.ops.provisioner.aws;

import java.util.List;
import java.util.Map;

/**
 * One RunInstances call for one node: everything EC2 needs plus the idempotency token and the tags.
 *
 * @param rootVolume      size and type of the root volume (always encrypted), on the image's root device
 * @param instanceProfile name or ARN of the instance profile, or {@code null}
 * @param metadataHopLimit IMDSv2's PUT response hop limit (1..64)
 * @param userData        base64 user-data (the node's host key, a secret: never logged), or {@code null}
 * @param tags            tags of the instance, its root volume and its network interface
 */
public record LaunchSpec(MachineImage image, String instanceType, String keyName, String subnetId,
                         String availabilityZone, List<String> securityGroupIds, boolean publicIp,
                         String clientToken, Map<String, String> tags, String label, RootVolume rootVolume,
                         String instanceProfile, String userData, int metadataHopLimit) {

    public LaunchSpec {
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
    }

    @Override
    public String toString() {
        return "LaunchSpec[" + label + " " + instanceType + " in " + subnetId + ", token " + clientToken + "]";
    }

    /** The root volume: EBS, encrypted with the account's default key, deleted with the instance. */
    public record RootVolume(int sizeGib, String type) {
    }
}
