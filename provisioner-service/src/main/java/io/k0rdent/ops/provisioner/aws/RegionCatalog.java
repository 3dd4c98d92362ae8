package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LocationType;

/**
 * What a region offers, read before anything is created: images, Availability Zones, instance-type offerings and key
 * pairs. A problem here is a non-retryable failure naming it, while there is nothing to undo.
 */
public class RegionCatalog {

    /** {@code MaxResults} of DescribeInstanceTypeOfferings: 5..1000 in AWS's model. */
    private static final int PAGE = 1000;

    private final Ec2Client ec2;
    private final String region;
    private final ProvisionerProperties properties;

    RegionCatalog(Ec2Client ec2, String region, ProvisionerProperties properties) {
        this.ec2 = ec2;
        this.region = region;
        this.properties = properties;
    }

    /**
     * Fails with a typed, non-retryable failure when the region has no key pair {@code name}: {@code RunInstances}
     * would refuse every node, and only after the whole network had been built.
     */
    public void requireKeyPair(String name) {
        try {
            call("DescribeKeyPairs " + name, () -> ec2.describeKeyPairs(r -> r.keyNames(name)));
        } catch (Ec2Failure e) {
            if ("InvalidKeyPair.NotFound".equals(e.errorCode())) {
                throw new Ec2Failure(FailureReason.INVALID_PARAMETER, e.errorCode(), "DescribeKeyPairs " + name,
                        "the key pair '" + name + "' named by spec.ssh.keyName does not exist in " + region
                                + "; import it there (ec2 import-key-pair) or name an existing one", false, e);
            }
            throw e;
        }
    }

    /** The region's Availability Zones that are available to the account, sorted (no Local or Wavelength Zones). */
    public List<String> availabilityZones() {
        // Availability Zones only: EC2 lists opted-in Local and Wavelength Zones too (AWS, "DescribeAvailabilityZones":
        // zone-type local-zone / wavelength-zone), whose names sort first and which lack most instance types.
        return call("DescribeAvailabilityZones " + region, () -> ec2.describeAvailabilityZones(r -> r.filters(
                        Filter.builder().name("state").values("available").build(),
                        Filter.builder().name("zone-type").values("availability-zone").build(),
                        Filter.builder().name("opt-in-status").values("opt-in-not-required", "opted-in").build()))
                .availabilityZones().stream().map(z -> z.zoneName()).sorted().toList());
    }

    /**
     * The zones of {@code zones} that offer every type of {@code instanceTypes} (AWS,
     * "DescribeInstanceTypeOfferings"): not every zone offers every type, and {@code RunInstances} of a type its zone
     * lacks fails with {@code Unsupported}.
     */
    public List<String> zonesOffering(List<String> instanceTypes, List<String> zones) {
        Map<String, Set<String>> offered = new LinkedHashMap<>();
        call("DescribeInstanceTypeOfferings " + String.join(",", instanceTypes), () -> {
            ec2.describeInstanceTypeOfferingsPaginator(r -> r.locationType(LocationType.AVAILABILITY_ZONE)
                            .filters(Filter.builder().name("instance-type").values(instanceTypes).build(),
                                    Filter.builder().name("location").values(zones).build())
                            .maxResults(PAGE))
                    .instanceTypeOfferings()
                    .forEach(o -> offered.computeIfAbsent(o.location(), z -> new TreeSet<>())
                            .add(o.instanceTypeAsString()));
            return offered;
        });
        return zones.stream().filter(z -> offered.getOrDefault(z, Set.of()).containsAll(instanceTypes)).toList();
    }

    /**
     * The configured AMI of the region, else the newest image matching the configured name pattern and owner, with its
     * root device name: only a block device mapping for that name sizes the root volume (AWS, "Block device
     * mappings"); Ubuntu's images use {@code /dev/sda1}, Amazon Linux's {@code /dev/xvda}. A configured AMI is looked
     * up too, so an AMI that does not exist in the region fails before anything is created.
     */
    public MachineImage image() {
        String configured = properties.amis().get(region);
        if (configured != null) {
            return call("DescribeImages " + configured, () -> ec2.describeImages(r -> r.imageIds(configured))
                    .images().stream().findFirst()
                    .map(i -> new MachineImage(i.imageId(), i.rootDeviceName()))
                    .orElseThrow(() -> notFound(configured, "the configured AMI " + configured)));
        }
        return call("DescribeImages " + properties.amiNamePattern(), () -> ec2.describeImages(r -> r
                        .owners(properties.amiOwner())
                        .filters(Filter.builder().name("name").values(properties.amiNamePattern()).build(),
                                Filter.builder().name("state").values("available").build()))
                .images().stream()
                .max(Comparator.comparing(Image::creationDate))
                .map(i -> new MachineImage(i.imageId(), i.rootDeviceName()))
                .orElseThrow(() -> notFound(properties.amiNamePattern(),
                        "no image matches " + properties.amiNamePattern())));
    }

    private Ec2Failure notFound(String what, String message) {
        return new Ec2Failure(FailureReason.INVALID_PARAMETER, "InvalidAMIID.NotFound", "DescribeImages " + what,
                message + " in " + region, false, null);
    }

    private static <T> T call(String resource, Supplier<T> action) {
        return Ec2Calls.call(resource, action);
    }
}
