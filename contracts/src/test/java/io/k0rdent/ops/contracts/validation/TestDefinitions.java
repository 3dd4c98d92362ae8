package io.k0rdent.ops.contracts.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Sample files under {@code src/test/resources/definitions/}. */
final class TestDefinitions {

    /** A complete, valid definition in block style; the line numbers of the cases refer to it. */
    static final String VALID = "valid-dev-cluster.yaml";

    private TestDefinitions() {
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestDefinitions.class.getResourceAsStream("/definitions/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test definition " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The valid definition with {@code from}, which must occur exactly once, replaced by {@code to}. */
    static String validWith(String from, String to) {
        String valid = text(VALID);
        int at = valid.indexOf(from);
        if (at < 0 || valid.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + from + "' must occur exactly once in " + VALID);
        }
        return valid.substring(0, at) + to + valid.substring(at + from.length());
    }
}
