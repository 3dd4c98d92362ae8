package io.k0rdent.ops.k0ops.up;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The SSH key the bootstrap service logs in to simulated hosts with: an OpenSSH private key file (what the
 * service reads in production too), created once and reused, so a resumed sandbox keeps its identity.
 */
public record SandboxKey(Path privateKeyFile, KeyPair keyPair) {

    public static SandboxKey ensure(Path file) throws IOException, GeneralSecurityException {
        if (!Files.exists(file)) {
            create(file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null);
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new IllegalStateException("no key in " + file + "; delete it to have a new one made");
            }
            return new SandboxKey(file, iterator.next());
        }
    }

    private static void create(Path file) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        // Owner-only from the start, like ssh-keygen does: the private key is never readable by others.
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temp)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "k0ops-sandbox", null, out);
        }
        Files.move(temp, file);
    }
}
