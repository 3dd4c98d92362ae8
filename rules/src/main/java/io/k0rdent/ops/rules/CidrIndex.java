package io.k0rdent.ops.rules;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.validation.Ipv4Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The VPC blocks of accepted clusters by region, parsed once, so that checking a new cluster for an
 * overlap costs one integer comparison per cluster of its region (10,000 clusters created in one
 * commit must not parse 10,000 CIDRs each).
 *
 * <p>Not thread-safe; used within one plan.
 */
public final class CidrIndex {

    private final Map<String, Map<String, Entry>> byRegion = new HashMap<>();

    /** A cluster's block, as indexed. */
    public record Entry(String name, Ipv4Cidr block, String cidr) {
    }

    public static CidrIndex of(Iterable<ClusterDefinition> definitions) {
        CidrIndex index = new CidrIndex();
        definitions.forEach(index::add);
        return index;
    }

    public void add(ClusterDefinition definition) {
        String cidr = RepositoryRules.cidr(definition);
        Optional<Ipv4Cidr> block = cidr == null ? Optional.empty() : Ipv4Cidr.parse(cidr);
        remove(definition.name());
        block.ifPresent(b -> byRegion.computeIfAbsent(Objects.toString(definition.spec().region()), r -> new HashMap<>())
                .put(definition.name(), new Entry(definition.name(), b, cidr)));
    }

    public void remove(String name) {
        byRegion.values().forEach(m -> m.remove(name));
    }

    /** The first (by name) other cluster in {@code region} whose block overlaps {@code cidr}. */
    public Optional<Entry> findOverlap(String name, String region, String cidr) {
        Optional<Ipv4Cidr> block = cidr == null ? Optional.empty() : Ipv4Cidr.parse(cidr);
        Map<String, Entry> entries = byRegion.get(Objects.toString(region));
        if (block.isEmpty() || entries == null) {
            return Optional.empty();
        }
        List<Entry> overlaps = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.name().equals(name) && e.block().overlaps(block.get())) {
                overlaps.add(e);
            }
        }
        return overlaps.stream().min((a, b) -> a.name().compareTo(b.name()));
    }
}
