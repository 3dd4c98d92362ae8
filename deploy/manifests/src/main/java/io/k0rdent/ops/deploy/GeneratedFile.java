package io.k0rdent.ops.deploy;

import java.nio.file.Path;

/**
 * A file this module generates, as it should be committed.
 *
 * @param path    relative to the repository root
 * @param content the exact text
 */
public record GeneratedFile(Path path, String content) {
}
