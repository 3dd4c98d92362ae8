package io.k0rdent.ops.notifier.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads secrets from where the configuration points: an environment variable or a file (e.g. a mounted
 * Kubernetes Secret). The configuration holds only the variable's name or the file's path, never the value.
 */
public final class SecretResolver {

    private final Function<String, String> environment;

    /** @param environment looks up an environment variable, e.g. {@code System::getenv} */
    public SecretResolver(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @param what    for error messages, e.g. {@code destination team-slack url}
     * @param envName a variable name, or {@code null}
     * @param file    a file path, or {@code null}; trailing line breaks are dropped
     * @return the secret, or empty when neither is configured
     * @throws IllegalStateException when one is configured but absent or empty, so the service fails at start
     */
    public Optional<Secret> resolve(String what, String envName, String file) {
        if (envName != null && !envName.isBlank()) {
            String value = environment.apply(envName);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(what + ": environment variable " + envName + " is not set");
            }
            return Optional.of(new Secret(value.strip()));
        }
        if (file != null && !file.isBlank()) {
            try {
                String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new IllegalStateException(what + ": file " + file + " is empty");
                }
                return Optional.of(new Secret(value));
            } catch (IOException e) {
                throw new UncheckedIOException(what + ": cannot read " + file, e);
            }
        }
        return Optional.empty();
    }

    public Secret require(String what, String envName, String file) {
        return resolve(what, envName, file).orElseThrow(
                () -> new IllegalStateException(what + ": configure an environment variable or a file"));
    }
}
