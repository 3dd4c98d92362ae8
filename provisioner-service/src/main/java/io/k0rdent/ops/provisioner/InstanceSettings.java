package io.k0rdent.ops.provisioner;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How every node is launched, bound from {@code k0rdent.provisioner.instances}. The instance metadata service always
 * requires session tokens (IMDSv2): that is not a setting.
 *
 * @param rootVolumeSizeGib the root volume's size: images, containerd's content and etcd's data live there (the
 *                          images' own snapshot is 8 GiB, too small for a node that pulls a few images)
 * @param rootVolumeType    an EBS volume type ({@code gp3} by default: cheaper per GiB than {@code gp2} with a 3,000
 *                          IOPS baseline)
 * @param instanceProfile   the name or ARN of an instance profile every node gets, e.g. for the AWS cloud provider or
 *                          the EBS CSI driver; none when unset
 * @param metadataHopLimit  IMDSv2's PUT response hop limit: 1 (the default) keeps the instance's metadata, and its
 *                          role's credentials, from pods in their own network namespace; 2 lets pods such as the EBS
 *                          CSI controller use the instance profile
 */
@ConfigurationProperties("k0rdent.provisioner.instances")
public record InstanceSettings(
        @Bindable(defaultValue = "40") int rootVolumeSizeGib,
        @Bindable(defaultValue = "gp3") String rootVolumeType,
        @Nullable String instanceProfile,
        @Bindable(defaultValue = "1") int metadataHopLimit) {
}
