package io.k0rdent.ops.contracts.validation;

import java.util.Objects;
import java.util.Set;

/**
 * What the platform allows cluster definitions to ask for, beyond the file format itself.
 *
 * @param allowedRegions       AWS regions clusters may be created in, not null; empty allows none
 * @param allowedInstanceTypes EC2 instance types node pools may use, not null; empty allows none
 */
public record ValidationPolicy(Set<String> allowedRegions, Set<String> allowedInstanceTypes) {

    public ValidationPolicy {
        allowedRegions = Set.copyOf(Objects.requireNonNull(allowedRegions, "allowedRegions"));
        allowedInstanceTypes = Set.copyOf(Objects.requireNonNull(allowedInstanceTypes, "allowedInstanceTypes"));
    }

    /**
     * The public commercial AWS regions (GovCloud and China are separate partitions with their own
     * accounts, so they are left out) and the general-purpose, compute- and memory-optimised types
     * big enough for k0s: t3 from small up (a controller needs at least 1 GiB besides the OS),
     * m5, m6i, c5 and r5 from large to 4xlarge.
     */
    public static ValidationPolicy defaults() {
        return new ValidationPolicy(
                Set.of(
                        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
                        "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
                        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
                        "eu-north-1", "eu-south-1", "eu-south-2",
                        "af-south-1", "il-central-1", "me-south-1", "me-central-1",
                        "ap-east-1", "ap-south-1", "ap-south-2",
                        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
                        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
                        "ap-southeast-5", "ap-southeast-7"),
                Set.of(
                        "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge",
                        "m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge",
                        "m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge",
                        "c5.large", "c5.xlarge", "c5.2xlarge", "c5.4xlarge",
                        "r5.large", "r5.xlarge", "r5.2xlarge", "r5.4xlarge"));
    }

    /** This policy with other allowed regions. */
    public ValidationPolicy withAllowedRegions(Set<String> regions) {
        return new ValidationPolicy(regions, allowedInstanceTypes);
    }

    /** This policy with other allowed instance types. */
    public ValidationPolicy withAllowedInstanceTypes(Set<String> instanceTypes) {
        return new ValidationPolicy(allowedRegions, instanceTypes);
    }
}
