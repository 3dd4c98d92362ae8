package io.k0rdent.ops.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads secrets from where configuration points: an environment variable or a file (e.g. a mounted
 * Kubernetes Secret). Configuration holds only the variable's name or the file's path, never the value, and
 * error messages name those, never the value.
 */
public final class SecretSource {

    private final Function<String, String> environment;

    /** @param environment looks up an environment variable, e.g. {@code System::getenv} */
    public SecretSource(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @param what    for error messages, e.g. {@code destination team-slack url}
     * @param envName a variable name, or {@code null}; it wins over {@code file}
     * @param file    a file path, or {@code null}
     * @return the secret, or empty when neither is configured
     * @throws IllegalStateException when one is configured but unset or empty, so the service fails at start
     * @throws UncheckedIOException  when the file cannot be read
     */
    public Optional<Secret> resolve(String what, String envName, String file) {
        if (envName != null && !envName.isBlank()) {
            String value = environment.apply(envName);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(what + ": environment variable " + envName + " is not set");
            }
            return Optional.of(Secret.of(value));
        }
        if (file != null && !file.isBlank()) {
            String value;
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                        + ")", e);
            }
            if (value.isBlank()) {
                throw new IllegalStateException(what + ": file " + file + " is empty");
            }
            return Optional.of(Secret.of(value));
        }
        return Optional.empty();
    }

    /** Like {@link #resolve}, but one of the two must be configured. */
    public Secret require(String what, String envName, String file) {
        return resolve(what, envName, file).orElseThrow(
                () -> new IllegalStateException(what + ": configure an environment variable or a file"));
    }
}
