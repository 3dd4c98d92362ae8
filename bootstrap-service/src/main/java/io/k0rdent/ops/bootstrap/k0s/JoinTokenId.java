package io.k0rdent.ops.bootstrap.k0s;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The id of a k0s join token, which {@code k0s token invalidate} takes. A token is base64 of a gzipped kubeconfig
 * whose first user's token is a bootstrap token {@code <id>.<secret>}; the id is the part before the dot (the same
 * reading as k0sctl's). Nothing of the secret leaves this class.
 */
public final class JoinTokenId {

    private JoinTokenId() {
    }

    /** The token's id, or empty when the text is not a k0s join token. */
    @SuppressWarnings("unchecked")
    public static Optional<String> of(String token) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
                Base64.getMimeDecoder().decode(token.strip())))) {
            String kubeconfig = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(kubeconfig);
            if (root instanceof Map<?, ?> map && map.get("users") instanceof List<?> users && !users.isEmpty()
                    && users.get(0) instanceof Map<?, ?> user && user.get("user") instanceof Map<?, ?> fields
                    && fields.get("token") instanceof String bootstrap && bootstrap.indexOf('.') > 0) {
                return Optional.of(bootstrap.substring(0, bootstrap.indexOf('.')));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
