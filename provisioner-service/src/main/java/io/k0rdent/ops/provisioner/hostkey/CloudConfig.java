package io.k0rdent.ops.provisioner.hostkey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user-data every node boots with: a cloud-config that installs the node's host key and no other (cloud-init's
 * {@code cc_ssh} module: {@code ssh_keys} with {@code ecdsa_private} / {@code ecdsa_public}, {@code ssh_deletekeys}
 * removes the image's keys, an empty {@code ssh_genkeytypes} generates none). EC2 limits user-data to 16 KB before
 * base64; this is well under 1 KB.
 */
public final class CloudConfig {

    private CloudConfig() {
    }

    /** The cloud-config text. */
    public static String withHostKey(HostKey key) {
        StringBuilder text = new StringBuilder("#cloud-config\n")
                .append("ssh_deletekeys: true\n")
                .append("ssh_genkeytypes: []\n")
                .append("ssh_keys:\n")
                .append("  ecdsa_private: |\n");
        key.privatePem().lines().forEach(line -> text.append("    ").append(line).append('\n'));
        text.append("  ecdsa_public: ").append(key.publicKey()).append('\n');
        return text.toString();
    }

    /** The same, base64-encoded as {@code RunInstances}' {@code UserData} parameter takes it. */
    public static String encoded(HostKey key) {
        return Base64.getEncoder().encodeToString(withHostKey(key).getBytes(StandardCharsets.UTF_8));
    }
}
