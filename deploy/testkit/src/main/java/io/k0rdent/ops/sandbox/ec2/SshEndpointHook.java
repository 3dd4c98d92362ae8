package io.k0rdent.ops.sandbox.ec2;

import java.util.Map;

/**
 * Chooses where an emulated instance's SSH server is, e.g. a simulated host on a loopback port. The answer is
 * published as the instance tag {@link Ec2EmulatorOptions#sshEndpointTag()} ({@code host:port}), which a client
 * configured for the sandbox reads instead of the instance's address.
 */
@FunctionalInterface
public interface SshEndpointHook {

    /** No mapping: clients use the instance's own address and port 22. */
    SshEndpointHook NONE = instance -> null;

    /**
     * @param instance the instance being launched
     * @return {@code host:port}, or {@code null} for no mapping
     */
    String endpointFor(LaunchedInstance instance);

    /**
     * What the hook knows about an instance when it is launched.
     *
     * @param userData the instance's user-data as text (what cloud-init reads at first boot), or {@code null}
     */
    record LaunchedInstance(String instanceId, String availabilityZone, String privateIpAddress,
                            String publicIpAddress, Map<String, String> tags, String userData) {
    }
}
