package io.k0rdent.ops.sandbox.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EC2's eventual consistency for calls that name a resource by ID: "if you try to describe or modify a resource
 * immediately after you create it, you might get an error such as {@code InvalidInstanceID.NotFound}" (AWS, "Eventual
 * consistency in the Amazon EC2 API"). For {@link ApiStrictness#consistencyWindow()} after a create, any call with a
 * direct parameter holding the new ID fails with the resource type's {@code NotFound} code. Filters are not touched:
 * a describe by filter answers without error (see {@code FIDELITY.md} for what is not modelled).
 */
final class EventualConsistency {

    private static final Pattern ID = Pattern.compile("(vpc|subnet|sg|igw|rtb|i|eni|nat|eipalloc)-[0-9a-f]{8,17}");
    private static final Map<String, String> NOT_FOUND = Map.of(
            "vpc", "InvalidVpcID.NotFound",
            "subnet", "InvalidSubnetID.NotFound",
            "sg", "InvalidGroup.NotFound",
            "igw", "InvalidInternetGatewayID.NotFound",
            "rtb", "InvalidRouteTableID.NotFound",
            "i", "InvalidInstanceID.NotFound",
            "eni", "InvalidNetworkInterfaceID.NotFound",
            "nat", "NatGatewayNotFound",
            "eipalloc", "InvalidAllocationID.NotFound");

    private final Duration window;
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();

    EventualConsistency(Duration window) {
        this.window = window;
    }

    boolean enabled() {
        return !window.isZero();
    }

    void created(List<String> ids, Instant at) {
        if (!enabled() || ids.isEmpty()) {
            return;
        }
        ids.forEach(id -> createdAt.put(id, at));
        createdAt.values().removeIf(when -> when.plus(window).isBefore(at));
    }

    /** Throws the {@code NotFound} EC2 would answer if a parameter names a resource still inside its window. */
    void check(Map<String, String> params, Instant at) {
        if (!enabled() || createdAt.isEmpty()) {
            return;
        }
        params.forEach((key, value) -> {
            if (key.startsWith("Filter.") || value == null) {
                return;
            }
            Matcher id = ID.matcher(value);
            if (!id.matches()) {
                return;
            }
            Instant created = createdAt.get(value);
            if (created != null && at.isBefore(created.plus(window))) {
                throw Ec2Error.notFound(NOT_FOUND.get(id.group(1)), value);
            }
        });
    }
}
