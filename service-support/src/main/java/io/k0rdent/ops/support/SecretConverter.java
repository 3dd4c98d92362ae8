package io.k0rdent.ops.support;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.convert.TypeConverter;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Lets a configuration record hold a secret setting as a {@link Secret} rather than a {@code String}, so that the
 * record's generated {@code toString()} (a log line, an exception message) prints {@code ****} instead. Registered in
 * every service's conversion service, since it is a bean.
 */
@Singleton
public class SecretConverter implements TypeConverter<CharSequence, Secret> {

    @Override
    public Optional<Secret> convert(CharSequence text, Class<Secret> targetType, ConversionContext context) {
        return text.toString().isBlank() ? Optional.empty() : Optional.of(Secret.of(text.toString()));
    }
}
