package io.k0rdent.ops.deploy;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Broken (and one valid) manifests under src/test/resources/fixtures. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path path(String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no fixture " + relative, e);
        }
    }
}
