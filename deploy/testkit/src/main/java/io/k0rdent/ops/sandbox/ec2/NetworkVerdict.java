package io.k0rdent.ops.sandbox.ec2;

/**
 * Whether AWS would deliver a {@link Flow}, and why. A flow that is not delivered looks on AWS like silence (a connect
 * timeout); the reason is for the sandbox's logs and for tests, never shown to the product as an answer.
 *
 * @param via the instance that receives the flow (the chosen target behind a load balancer); {@code null} when not
 *            delivered or when the destination is the internet
 */
public record NetworkVerdict(boolean delivered, String reason, String via) {

    static NetworkVerdict delivered(String via, String how) {
        return new NetworkVerdict(true, how, via);
    }

    static NetworkVerdict dropped(String why) {
        return new NetworkVerdict(false, why, null);
    }
}
