package io.k0rdent.ops.gitwatcher.validation;

import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Per-file validation, delegated to the contracts' {@link ClusterDefinitionValidator} so that the
 * gitwatcher, {@code k0ops validate} and CI agree on what a valid file is. Built once: loading the
 * schema is the expensive part.
 */
@Singleton
public class DefinitionFileValidator {

    private final ClusterDefinitionValidator validator;

    public DefinitionFileValidator() {
        this(ValidationPolicy.defaults());
    }

    public DefinitionFileValidator(ValidationPolicy policy) {
        this.validator = new ClusterDefinitionValidator(policy);
    }

    /** Validates a file's content; the stream is read up to the size limit and not closed. */
    public ValidationResult validate(String path, InputStream content) {
        try {
            return validator.validate(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public ValidationResult validate(String path, byte[] content) {
        return validator.validate(path, content);
    }
}
