package io.k0rdent.ops.sandbox.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which instance types each zone offers ({@code DescribeInstanceTypeOfferings}). EC2 does not offer every type in every
 * zone (e.g. newer generations are missing from some older Availability Zones, and a Local Zone offers a handful), and
 * {@code RunInstances} of a type its zone lacks answers {@code Unsupported}. The emulator offers {@link #types()} in
 * every Availability Zone except where {@link #missing()} says otherwise; Local Zones offer only
 * {@link #LOCAL_ZONE_TYPES}.
 *
 * @param types   the catalogue of types the emulator knows
 * @param missing per zone, the types of the catalogue that zone does not offer
 */
public record InstanceTypeOfferings(List<String> types, Map<String, Set<String>> missing) {

    /** What a Local Zone offers in this emulator: a few general-purpose and compute types, as Local Zones do. */
    public static final List<String> LOCAL_ZONE_TYPES = List.of("t3.medium", "t3.xlarge", "c5.2xlarge", "m5.2xlarge");

    public InstanceTypeOfferings {
        types = List.copyOf(types);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        missing.forEach((zone, lacking) -> copy.put(zone, Set.copyOf(lacking)));
        missing = Map.copyOf(copy);
    }

    /** The families this project's definitions use, in the sizes they use, offered in every Availability Zone. */
    public static InstanceTypeOfferings everywhere() {
        List<String> sizes = List.of("large", "xlarge", "2xlarge", "4xlarge");
        List<String> types = new java.util.ArrayList<>(List.of("m1.small", "t3.nano", "t3.micro", "t3.small",
                "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge", "t4g.nano", "t4g.micro", "t4g.small",
                "t4g.medium", "t4g.large", "t4g.xlarge"));
        for (String family : List.of("m5", "m6i", "c5", "c6i", "r5")) {
            sizes.forEach(size -> types.add(family + "." + size));
        }
        return new InstanceTypeOfferings(types, Map.of());
    }

    /** The same offerings, except that {@code zone} lacks {@code type}. */
    public InstanceTypeOfferings without(String zone, String type) {
        Map<String, Set<String>> next = new LinkedHashMap<>(missing);
        Set<String> lacking = new java.util.HashSet<>(next.getOrDefault(zone, Set.of()));
        lacking.add(type);
        next.put(zone, lacking);
        return new InstanceTypeOfferings(types, next);
    }

    /** Whether {@code zone} (an Availability Zone, or a Local Zone when {@code localZone}) offers {@code type}. */
    public boolean offers(String zone, boolean localZone, String type) {
        if (localZone) {
            return LOCAL_ZONE_TYPES.contains(type);
        }
        return types.contains(type) && !missing.getOrDefault(zone, Set.of()).contains(type);
    }
}
