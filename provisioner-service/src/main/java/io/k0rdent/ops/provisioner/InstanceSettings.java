package io.k0rdent.ops.provisioner;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How every node is launched, bound from {@code k0rdent.provisioner.instances}. The instance metadata service always
 * requires session tokens (IMDSv2): that is not a setting.
 */
@ConfigurationProperties("k0rdent.provisioner.instances")
public class InstanceSettings {

    private int rootVolumeSizeGib = 40;
    private String rootVolumeType = "gp3";
    private String instanceProfile;
    private int metadataHopLimit = 1;

    /**
     * The root volume's size: images, containerd's content and etcd's data live there (the images' own snapshot is
     * 8 GiB, too small for a node that pulls a few images).
     */
    public int getRootVolumeSizeGib() {
        return rootVolumeSizeGib;
    }

    public void setRootVolumeSizeGib(int rootVolumeSizeGib) {
        this.rootVolumeSizeGib = rootVolumeSizeGib;
    }

    /** An EBS volume type ({@code gp3} by default: cheaper per GiB than {@code gp2} with a 3,000 IOPS baseline). */
    public String getRootVolumeType() {
        return rootVolumeType;
    }

    public void setRootVolumeType(String rootVolumeType) {
        this.rootVolumeType = rootVolumeType;
    }

    /**
     * The name or ARN of an instance profile every node gets, e.g. for the AWS cloud provider or the EBS CSI driver;
     * none when unset.
     */
    public String getInstanceProfile() {
        return instanceProfile;
    }

    public void setInstanceProfile(String instanceProfile) {
        this.instanceProfile = instanceProfile;
    }

    /**
     * IMDSv2's PUT response hop limit: 1 (the default) keeps the instance's metadata, and its role's credentials, from
     * pods in their own network namespace; 2 lets pods such as the EBS CSI controller use the instance profile.
     */
    public int getMetadataHopLimit() {
        return metadataHopLimit;
    }

    public void setMetadataHopLimit(int metadataHopLimit) {
        this.metadataHopLimit = metadataHopLimit;
    }
}
