package io.k0rdent.ops.k0ops.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * On-demand USD per instance-hour by region and instance type, from the price table shipped with k0ops
 * ({@code pricing/ec2-on-demand.yaml}). An estimate for comparing plans, not a bill: a missing entry is
 * reported as unknown rather than guessed.
 *
 * @param source        where the prices come from, for the output
 * @param asOf          when they were published
 * @param hoursPerMonth the hours a month is billed for (730 = 8760 / 12)
 * @param hourly        region → instance type → USD per hour
 * @param network       region → what a cluster's network costs there; a table without any prices only instances
 */
public record PriceTable(String source, String asOf, int hoursPerMonth, Map<String, Map<String, BigDecimal>> hourly,
                         Map<String, NetworkPrices> network) {

    /**
     * A region's prices for the parts of a cluster other than its instances.
     *
     * @param networkLoadBalancerHour one network load balancer, per hour (capacity units not included)
     * @param natGatewayHour          one NAT gateway, per hour (data processing not included)
     * @param publicIpv4Hour          one public IPv4 address (an Elastic IP, or a node's own), per hour
     * @param gp3GibMonth             one GiB of gp3 volume, per month
     */
    public record NetworkPrices(BigDecimal networkLoadBalancerHour, BigDecimal natGatewayHour,
                                BigDecimal publicIpv4Hour, BigDecimal gp3GibMonth) {
    }

    /** A table of instance prices only. */
    public PriceTable(String source, String asOf, int hoursPerMonth, Map<String, Map<String, BigDecimal>> hourly) {
        this(source, asOf, hoursPerMonth, hourly, Map.of());
    }

    /** The table on the classpath. */
    public static final String RESOURCE = "pricing/ec2-on-demand.yaml";

    public PriceTable {
        Map<String, Map<String, BigDecimal>> copy = new LinkedHashMap<>();
        hourly.forEach((region, types) -> copy.put(region, Map.copyOf(types)));
        hourly = Map.copyOf(copy);
        network = network == null ? Map.of() : Map.copyOf(network);
    }

    /** Whether the table prices networks at all (a table without a {@code network} section prices instances only). */
    public boolean pricesNetworks() {
        return !network.isEmpty();
    }

    /** The network prices of {@code region}, or empty when the table has none for it. */
    public Optional<NetworkPrices> network(String region) {
        return Optional.ofNullable(network.get(region));
    }

    /** The table shipped in this jar. */
    public static PriceTable shipped() {
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("price table " + RESOURCE + " is missing from the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price table " + RESOURCE, e);
        }
    }

    /** Reads a table in the format of {@value #RESOURCE}. */
    public static PriceTable parse(InputStream yaml) {
        Object loaded = new Load(LoadSettings.builder().build()).loadFromInputStream(yaml);
        if (!(loaded instanceof Map<?, ?> root) || !(root.get("regions") instanceof Map<?, ?> regions)) {
            throw new IllegalArgumentException("price table: expected a mapping with 'regions'");
        }
        Map<String, Map<String, BigDecimal>> hourly = new LinkedHashMap<>();
        regions.forEach((region, types) -> {
            if (!(types instanceof Map<?, ?> byType)) {
                throw new IllegalArgumentException("price table: region " + region + " is not a mapping");
            }
            Map<String, BigDecimal> prices = new LinkedHashMap<>();
            byType.forEach((type, price) -> prices.put(String.valueOf(type), decimal(region + "/" + type, price)));
            hourly.put(String.valueOf(region), prices);
        });
        Map<String, NetworkPrices> network = new LinkedHashMap<>();
        if (root.get("network") instanceof Map<?, ?> regionsNetwork) {
            regionsNetwork.forEach((region, prices) -> {
                if (!(prices instanceof Map<?, ?> p)) {
                    throw new IllegalArgumentException("price table: network of " + region + " is not a mapping");
                }
                String at = "network/" + region + "/";
                network.put(String.valueOf(region), new NetworkPrices(
                        decimal(at + "networkLoadBalancerHour", p.get("networkLoadBalancerHour")),
                        decimal(at + "natGatewayHour", p.get("natGatewayHour")),
                        decimal(at + "publicIpv4Hour", p.get("publicIpv4Hour")),
                        decimal(at + "gp3GibMonth", p.get("gp3GibMonth"))));
            });
        }
        Object hours = root.get("hoursPerMonth");
        return new PriceTable(String.valueOf(root.get("source")), String.valueOf(root.get("asOf")),
                hours instanceof Number n ? n.intValue() : 730, hourly, network);
    }

    private static BigDecimal decimal(String what, Object price) {
        if (price instanceof Number) {
            // Via the string form: 0.0416 stays 0.0416 instead of the binary double's long expansion.
            return new BigDecimal(price.toString());
        }
        throw new IllegalArgumentException("price table: " + what + " is not a number: " + price);
    }

    /** USD per hour for one instance, or empty when the table has no price for it. */
    public Optional<BigDecimal> hourly(String region, String instanceType) {
        return Optional.ofNullable(hourly.getOrDefault(region, Map.of()).get(instanceType));
    }

    /** USD per month for {@code count} instances, or empty when the table has no price for the type. */
    public Optional<BigDecimal> monthly(String region, String instanceType, int count) {
        return hourly(region, instanceType)
                .map(h -> h.multiply(BigDecimal.valueOf(hoursPerMonth)).multiply(BigDecimal.valueOf(count)));
    }
}
