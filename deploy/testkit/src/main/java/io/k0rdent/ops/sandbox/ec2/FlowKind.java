package io.k0rdent.ops.sandbox.ec2;

import java.util.Set;

/**
 * A kind of flow a fault drops (see {@link Ec2Emulator#dropFlows}): one protocol to some ports, from instances or
 * from outside every VPC.
 *
 * @param name          what the fault's verdicts and logs call it
 * @param fromInstances whether it matches flows that start on an instance ({@code false}: from an outside address,
 *                      such as the operator's SSH)
 * @param protocol      {@code tcp} or {@code udp}
 * @param ports         the destination ports it matches
 */
public record FlowKind(String name, boolean fromInstances, String protocol, Set<Integer> ports) {

    public FlowKind {
        ports = Set.copyOf(ports);
    }

    /**
     * Nodes joining their cluster: a worker dials the join address on 6443, a controller on 9443 (k0s docs,
     * "Networking", required ports).
     */
    public static FlowKind joinsToControllers() {
        return new FlowKind("joins to the controllers (tcp/6443, tcp/9443 from nodes)", true, "tcp",
                Set.of(6443, 9443));
    }

    /** The operator's SSH to the nodes (the bootstrap service). */
    public static FlowKind operatorSsh() {
        return new FlowKind("the operator's SSH (tcp/22 from outside)", false, "tcp", Set.of(22));
    }

    boolean matches(Flow flow) {
        return (flow.sourceInstanceId() != null) == fromInstances && protocol.equalsIgnoreCase(flow.protocol())
                && ports.contains(flow.port());
    }
}
