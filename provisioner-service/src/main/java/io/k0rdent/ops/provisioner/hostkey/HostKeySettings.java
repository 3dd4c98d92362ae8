package io.k0rdent.ops.provisioner.hostkey;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the secret the nodes' host keys are derived from lives, bound from {@code k0rdent.provisioner.host-keys}.
 * Without a seed file nodes boot with the host keys their image generates, which nobody can know in advance: the
 * bootstrap service then refuses them unless it is told to trust them some other way.
 *
 * @param seedFile a file of at least 32 random bytes (e.g. {@code head -c 32 /dev/urandom}), from a Secret. Bytes,
 *                 not text, so not a {@code Secret}: only {@link HostKeys} ever holds them, and it never prints them
 */
@ConfigurationProperties("k0rdent.provisioner.host-keys")
public record HostKeySettings(@Nullable Path seedFile) {

    /** The key source, or empty without a seed file. */
    public Optional<HostKeys> hostKeys() {
        if (seedFile == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HostKeys(Files.readAllBytes(seedFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host-key seed file " + seedFile, e);
        }
    }
}
