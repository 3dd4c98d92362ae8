package io.k0rdent.ops.bootstrap.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH private keys the service holds, by the name of the EC2 key pair each belongs to (issue 15 item 3): a
 * directory with one file per key pair, named after it ({@code k0rdent} or {@code k0rdent.pem}; a Kubernetes Secret
 * mounted as a directory gives exactly that), and/or one file with its key pair's name. A node is offered only the
 * key of the key pair it was launched with, and a definition naming a key pair the service does not hold fails at
 * once instead of as an SSH timeout. One file without a name is still accepted, for every key pair, with a warning.
 */
public final class PrivateKeys {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateKeys.class);

    private final Map<String, List<KeyPair>> byName = new TreeMap<>();
    private final List<KeyPair> unnamed;

    /**
     * @param directory a directory of key files named after their key pairs, or {@code null}
     * @param file      one key file, or {@code null}
     * @param fileName  the key pair {@code file} belongs to; {@code null} offers it for every key pair (deprecated)
     */
    public PrivateKeys(Path directory, Path file, String fileName) {
        if (directory != null) {
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                        .sorted().forEach(f -> byName.put(nameOf(f), load(f)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list the SSH private keys directory " + directory);
            }
        }
        fileName = fileName == null || fileName.isBlank() ? null : fileName;
        List<KeyPair> single = file == null ? null : load(file);
        if (single != null && fileName != null) {
            byName.put(fileName, single);
        }
        this.unnamed = single != null && fileName == null ? single : null;
        if (unnamed != null) {
            LOG.warn("k0rdent.bootstrap.ssh.private-key-file has no private-key-name: it is offered for every key "
                    + "pair, and a definition naming another key pair fails only when SSH refuses it. Name it (or use "
                    + "private-keys-dir); this fallback goes away in the next release");
        }
        if (byName.isEmpty() && unnamed == null) {
            throw new IllegalStateException("no SSH private key: set k0rdent.bootstrap.ssh.private-keys-dir or "
                    + "private-key-file");
        }
    }

    /** The keys to offer a node launched with {@code keyName}; {@code null} offers every key held. */
    public List<KeyPair> forKeyPair(String keyName) {
        if (keyName == null) {
            List<KeyPair> all = new ArrayList<>();
            byName.values().forEach(all::addAll);
            if (unnamed != null) {
                all.addAll(unnamed);
            }
            return all;
        }
        List<KeyPair> named = byName.get(keyName);
        return named != null ? named : unnamed != null ? unnamed : List.of();
    }

    /** Why a node launched with {@code keyName} cannot be logged into, or empty when a key for it is held. */
    public Optional<String> missing(String keyName) {
        if (keyName == null || byName.containsKey(keyName) || unnamed != null) {
            return Optional.empty();
        }
        return Optional.of("the bootstrap service holds no private key for the EC2 key pair '" + keyName
                + "' (it holds " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))
                + "); add it to k0rdent.bootstrap.ssh.private-keys-dir or launch with a key pair it holds");
    }

    private static String nameOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
    }

    private static List<KeyPair> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, null);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("no private key found in " + file);
            }
            return List.copyOf(keys);
        } catch (IOException | GeneralSecurityException e) {
            // The message names the file only: parser messages can quote key material.
            throw new IllegalStateException("cannot read the SSH private key file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
