package io.k0rdent.ops.sandbox.ec2;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every fault switch of one {@link Ec2Emulator}, reached through {@link Ec2Emulator#faults()}: failed API calls
 * ({@link FaultRule}s, fired by {@link CallFaults}), NAT gateways that come up {@code failed}, and flows the network
 * drops for a while ({@link FlowDrops}). The emulator asks it on every call and every {@link Ec2Emulator#reach}.
 * Thread-safe.
 */
public final class FaultInjector {

    /** Where a NAT gateway failure is armed: the gateway's state lives with the EC2 actions, not here. */
    @FunctionalInterface
    interface NatGatewayFailures {
        void failNext(String failureCode, String failureMessage);
    }

    private final CallFaults calls;
    private final FlowDrops flows;
    private final NatGatewayFailures natGateways;

    FaultInjector(List<FaultRule> rules, long seed, Clock clock, NatGatewayFailures natGateways) {
        this.calls = new CallFaults(rules, seed);
        this.flows = new FlowDrops(clock);
        this.natGateways = natGateways;
    }

    /** Adds a fault while running, e.g. to fail the next DeleteVpc in the middle of a test. */
    public void addFault(FaultRule rule) {
        calls.add(rule);
    }

    /**
     * Fails the next call of {@code action} from now on with {@code errorCode}, e.g. a {@code DependencyViolation}
     * on the next {@code DeleteSubnet} (AWS raises it while a released interface still lingers).
     */
    public void failNextCall(String action, String errorCode, int httpStatus) {
        calls.failNext(action, errorCode, httpStatus);
    }

    /** Removes every injected call fault ({@link #addFault}, {@link #failNextCall}); flow drops stay. */
    public void clearFaults() {
        calls.clear();
    }

    /**
     * Makes the next {@code CreateNatGateway} produce a gateway that fails, with {@code failureCode} and
     * {@code failureMessage} as {@code DescribeNatGateways} reports them (the call itself succeeds, as on AWS).
     */
    public void failNextNatGateway(String failureCode, String failureMessage) {
        natGateways.failNext(failureCode, failureMessage);
    }

    /**
     * Flows of {@code kind} are dropped for {@code duration} (on the emulator's clock), whatever the routes and
     * security groups say; {@link Ec2Emulator#reach} answers "not delivered: dropped by fault" for them meanwhile.
     */
    public void dropFlows(FlowKind kind, Duration duration) {
        flows.drop(kind, duration);
    }

    /** Lifts every {@link #dropFlows} switch before it expires. */
    public void restoreFlows() {
        flows.restore();
    }

    /** How many flows the {@link #dropFlows} switches have dropped so far. */
    public long flowsDroppedByFault() {
        return flows.dropped();
    }

    /** The rule that fires for this call of {@code action}, if any; counts the call either way. */
    Optional<FaultRule> nextCallFault(String action) {
        return calls.next(action);
    }

    /** The verdict for {@code flow} while a {@link #dropFlows} switch that matches it is on. */
    Optional<NetworkVerdict> flowDrop(Flow flow) {
        return flows.verdict(flow);
    }
}
