package io.k0rdent.ops.sandbox.ec2;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code RunInstances} call decides about an instance besides its network: the instance metadata service, the
 * root volume, the instance profile and the tags of the volume and the network interface. EC2's rules, as modelled:
 * <ul>
 *   <li>{@code MetadataOptions.HttpTokens}: {@code required} (IMDSv2 only) or {@code optional}, the default for images
 *       that do not ask for IMDSv2 (AWS, "Configure the instance metadata options for new instances");</li>
 *   <li>the root volume is resized only by a mapping for the image's root device name ({@code /dev/sda1} for
 *       Ubuntu's images): a mapping for another name adds a second volume and leaves the root at the snapshot's
 *       8 GiB, {@code gp2}, unencrypted; a root smaller than the snapshot is {@code InvalidBlockDeviceMapping}
 *       (AWS, "Block device mappings");</li>
 *   <li>tags for the {@code volume} and {@code network-interface} resource types go to those resources.</li>
 * </ul>
 *
 * @param httpTokens        {@code required} or {@code optional}
 * @param rootVolume        the root volume as created
 * @param instanceProfile   the instance profile's ARN or name, or {@code null}
 * @param volumeTags        tags every volume of the instance got at launch
 * @param interfaceTags     tags the primary network interface got at launch
 * @param userData          the user-data as text (decoded from the request's base64), or {@code null}
 * @param hopLimit          IMDS's PUT response hop limit ({@code MetadataOptions.HttpPutResponseHopLimit}, default 1)
 */
record LaunchSettings(String httpTokens, Volume rootVolume, String instanceProfile, Map<String, String> volumeTags,
                      Map<String, String> interfaceTags, String userData, Integer hopLimit) {

    /** EC2's limit: "User data is limited to 16 KB, in raw form, before it is base64-encoded" (AWS, user data). */
    static final int USER_DATA_LIMIT = 16 * 1024;

    /** The root device of every image the emulator knows (Canonical's Ubuntu images use it). */
    static final String ROOT_DEVICE = "/dev/sda1";
    /** The size of the images' root snapshot. */
    static final int SNAPSHOT_GIB = 8;

    LaunchSettings {
        volumeTags = Map.copyOf(volumeTags);
        interfaceTags = Map.copyOf(interfaceTags);
    }

    /** One EBS volume. */
    record Volume(String id, String device, int sizeGib, String type, boolean encrypted, boolean deleteOnTermination) {
    }

    private static String userData(QueryRequest request) {
        String encoded = request.get("UserData");
        if (encoded == null) {
            return null;
        }
        byte[] raw;
        try {
            raw = java.util.Base64.getMimeDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw Ec2Error.client("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
        }
        if (raw.length > USER_DATA_LIMIT) {
            throw Ec2Error.client("InvalidParameterValue", "User data is limited to 16384 bytes");
        }
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads the request's settings; {@code volumeId} names the root volume. */
    static LaunchSettings of(QueryRequest request, String volumeId) {
        String tokens = request.get("MetadataOptions.HttpTokens");
        if (tokens == null) {
            tokens = "optional";
        }
        Volume root = new Volume(volumeId, ROOT_DEVICE, SNAPSHOT_GIB, "gp2", false, true);
        for (int m = 1; m <= request.structCount("BlockDeviceMapping"); m++) {
            String prefix = "BlockDeviceMapping." + m + ".";
            if (!ROOT_DEVICE.equals(request.get(prefix + "DeviceName"))) {
                continue; // another device: an extra volume, the root keeps the snapshot's defaults
            }
            int size = request.intValue(prefix + "Ebs.VolumeSize", SNAPSHOT_GIB);
            if (size < SNAPSHOT_GIB) {
                throw Ec2Error.client("InvalidBlockDeviceMapping", "Volume of size " + size
                        + "GB is smaller than snapshot 'snap-0123456789abcdef0', expect size >= " + SNAPSHOT_GIB
                        + "GB");
            }
            String type = request.get(prefix + "Ebs.VolumeType") == null ? "gp2" : request.get(prefix + "Ebs.VolumeType");
            String encrypted = request.get(prefix + "Ebs.Encrypted");
            String delete = request.get(prefix + "Ebs.DeleteOnTermination");
            root = new Volume(volumeId, ROOT_DEVICE, size, type, Boolean.parseBoolean(encrypted),
                    delete == null || Boolean.parseBoolean(delete));
        }
        String profile = request.get("IamInstanceProfile.Arn") != null ? request.get("IamInstanceProfile.Arn")
                : request.get("IamInstanceProfile.Name");
        return new LaunchSettings(tokens, root, profile, new LinkedHashMap<>(request.tagSpecifications("volume")),
                new LinkedHashMap<>(request.tagSpecifications("network-interface")), userData(request),
                request.intValue("MetadataOptions.HttpPutResponseHopLimit", 1));
    }
}
