package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.SshEndpoint;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;

/**
 * Turns instances into the nodes of events. The SSH endpoint is the public address when there is one, else the
 * private one, port 22; an instance tagged with the configured endpoint tag ({@code host:port}, set by the sandbox)
 * is reached there instead.
 */
public final class ProvisionedNodes {

    private ProvisionedNodes() {
    }

    public static ProvisionedNode of(ObservedInstance instance, String sshUser, String endpointTag) {
        return of(instance, sshUser, endpointTag, false);
    }

    /**
     * @param endpointIsAddress sandbox only: the endpoint tag's host also replaces the public address, because
     *                          there the simulated host behind the tag is the only address that can be reached
     */
    public static ProvisionedNode of(ObservedInstance instance, String sshUser, String endpointTag,
                                     boolean endpointIsAddress) {
        String host = instance.publicAddress() != null ? instance.publicAddress() : instance.privateAddress();
        int port = 22;
        boolean tagged = false;
        String override = endpointTag == null ? null : instance.tags().get(endpointTag);
        if (override != null && override.lastIndexOf(':') > 0) {
            try {
                port = Integer.parseInt(override.substring(override.lastIndexOf(':') + 1));
                host = override.substring(0, override.lastIndexOf(':'));
                tagged = true;
            } catch (NumberFormatException ignored) {
                // A malformed tag is ignored: the instance's own address is still right on AWS.
            }
        }
        String publicAddress = endpointIsAddress && tagged ? host : instance.publicAddress();
        return new ProvisionedNode(instance.instanceId(), instance.role(), instance.slot(), instance.instanceType(),
                instance.availabilityZone(), instance.privateAddress(), publicAddress,
                new SshEndpoint(host, port, sshUser, instance.tags().get(ClusterTags.SSH_HOST_KEY)));
    }
}
