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

    /**
     * {@code DescribeInstanceTypeOfferings} by zone: one item per (type, zone) the zone offers. Location type
     * {@code region} lists every type offered anywhere; {@code availability-zone-id} is answered with zone ids.
     */
    void describeInstanceTypeOfferings(QueryRequest request, XmlOut out) {
        String locationType = request.get("LocationType") == null ? "region" : request.get("LocationType");
        record Offering(String type, String location) {
        }
        List<Offering> all = new ArrayList<>();
        List<String> zones = new ArrayList<>(options.localZones());
        zones.addAll(options.zones());
        for (String type : options.offerings().types()) {
            boolean anywhere = false;
            for (String zone : zones) {
                if (options.offerings().offers(zone, options.localZones().contains(zone), type)) {
                    anywhere = true;
                    switch (locationType) {
                        case "availability-zone" -> all.add(new Offering(type, zone));
                        case "availability-zone-id" -> all.add(new Offering(type, zoneId(zone)));
                        default -> {
                        }
                    }
                }
            }
            if (anywhere && locationType.equals("region")) {
                all.add(new Offering(type, options.region()));
            }
        }
        List<Offering> selected = select(all, request.filters(), (offering, name) -> switch (name) {
            case "instance-type" -> List.of(offering.type());
            case "location" -> List.of(offering.location());
            default -> null;
        });
        Describes.Page<Offering> page = Describes.page(selected, request);
        out.start("instanceTypeOfferingSet");
        page.items().forEach(offering -> out.start("item").text("instanceType", offering.type())
                .text("locationType", locationType).text("location", offering.location()).end());
        out.end().text("nextToken", page.nextToken());
    }

    /** {@code Unsupported}, as RunInstances answers for a type the subnet's zone does not offer. */
    void requireOffered(String zone, String type) {
        if (!options.offerings().offers(zone, options.localZones().contains(zone), type)) {
            throw Ec2Error.client("Unsupported", "Your requested instance type (" + type + ") is not supported in "
                    + "your requested Availability Zone (" + zone + "). Please retry your request by not specifying "
                    + "an Availability Zone or choosing " + String.join(", ", offeringZones(type)) + ".");
        }
    }

    private List<String> offeringZones(String type) {
        return options.zones().stream().filter(z -> options.offerings().offers(z, false, type)).toList();
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
