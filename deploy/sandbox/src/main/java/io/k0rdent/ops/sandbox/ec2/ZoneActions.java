package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.select;

import java.util.ArrayList;
import java.util.List;

/** The region's zones: {@code DescribeAvailabilityZones}, and the ids and types other actions report for a zone. */
final class ZoneActions {

    private final Ec2EmulatorOptions options;

    ZoneActions(Ec2EmulatorOptions options) {
        this.options = options;
    }

    /**
     * The region's zones as an account opted into one Local Zone sees them: EC2 lists opted-in Local Zones next to the
     * Availability Zones (zone type {@code local-zone}, opt-in status {@code opted-in}); a caller that wants
     * Availability Zones must filter on {@code zone-type}. Local Zone names ({@code us-east-1-bos-1a}) sort before the
     * region's zones ({@code us-east-1a}).
     */
    void describeAvailabilityZones(QueryRequest request, XmlOut out) {
        List<String> names = request.list("ZoneName");
        List<String> all = new ArrayList<>(options.localZones());
        all.addAll(options.zones());
        List<String> zones = select(all.stream().filter(z -> names.isEmpty() || names.contains(z)).toList(),
                request.filters(), (zone, name) -> switch (name) {
                    case "zone-name" -> List.of(zone);
                    case "zone-id" -> List.of(zoneId(zone));
                    case "state" -> List.of("available");
                    case "region-name" -> List.of(options.region());
                    case "zone-type" -> List.of(zoneType(zone));
                    case "opt-in-status" -> List.of(optInStatus(zone));
                    case "group-name" -> List.of(groupName(zone));
                    default -> null;
                });
        out.start("availabilityZoneInfo");
        for (String zone : zones) {
            out.start("item").text("zoneName", zone).text("zoneState", "available")
                    .text("regionName", options.region()).text("zoneId", zoneId(zone))
                    .text("zoneType", zoneType(zone)).text("groupName", groupName(zone))
                    .text("optInStatus", optInStatus(zone)).start("messageSet").end().end();
        }
        out.end();
    }

    private String zoneType(String zone) {
        return options.localZones().contains(zone) ? "local-zone" : "availability-zone";
    }

    private String optInStatus(String zone) {
        return options.localZones().contains(zone) ? "opted-in" : "opt-in-not-required";
    }

    private String groupName(String zone) {
        return options.localZones().contains(zone) ? zone.substring(0, zone.length() - 1) : options.region();
    }

    String zoneId(String zone) {
        if (options.localZones().contains(zone)) {
            return "use1-" + zone.substring(options.region().length() + 1, zone.length() - 1).replace("-", "") + "-az1";
        }
        return "use1-az" + (zone.charAt(zone.length() - 1) - 'a' + 1);
    }
}
