package io.k0rdent.ops.provisioner.aws;

/**
 * The AMI nodes launch from.
 *
 * @param rootDeviceName the device a block device mapping must name to size the root volume, e.g. {@code /dev/sda1}
 */
public record MachineImage(String imageId, String rootDeviceName) {
}
