package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link Ec2Gateway} of each region a cluster asks for. */
@Singleton
public class Ec2Gateways {

    private final Ec2Clients clients;
    private final ProvisionerProperties properties;
    private final Clock clock;
    private final Map<String, Ec2Gateway> gateways = new ConcurrentHashMap<>();

    /** @param clock times the eventual-consistency window of each gateway */
    public Ec2Gateways(Ec2Clients clients, ProvisionerProperties properties, Clock clock) {
        this.clients = clients;
        this.properties = properties;
        this.clock = clock;
    }

    public Ec2Gateway forRegion(String region) {
        return gateways.computeIfAbsent(region, r -> new Ec2Gateway(clients.forRegion(r), r, properties,
                new LoadBalancerCalls(clients.loadBalancingFor(r)), clock));
    }

    /** The regions used so far (where the drift check looks). */
    public Set<String> regions() {
        return Set.copyOf(gateways.keySet());
    }
}
