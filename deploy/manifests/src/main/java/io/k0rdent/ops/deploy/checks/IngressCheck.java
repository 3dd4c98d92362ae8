package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The only thing reachable from outside the cluster is the gitwatcher's webhook receiver under
 * {@code /webhooks}. Anything broader would expose the management endpoints ({@code /health} with
 * details, {@code /repositories}) that share its port.
 */
final class IngressCheck implements ManifestCheck {

    static final String PREFIX = "/webhooks";
    static final String BACKEND = "gitwatcher-service";
    /** ImplementationSpecific may mean regular expressions (ingress-nginx), which a prefix test cannot judge. */
    static final Set<String> PATH_TYPES = Set.of("Prefix", "Exact");

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Ingress ingress : rendering.all(Ingress.class)) {
            String owner = "Ingress " + ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
            if (ingress.getSpec().getDefaultBackend() != null) {
                problems.add(owner + ": has a defaultBackend, which exposes every path");
            }
            for (IngressRule rule : Stream.ofNullable(ingress.getSpec().getRules()).flatMap(List::stream).toList()) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    String value = path.getPath() == null ? "/" : path.getPath();
                    if (!value.equals(PREFIX) && !value.startsWith(PREFIX + "/")) {
                        problems.add(owner + ": path " + value + " exposes more than " + PREFIX);
                    }
                    if (!PATH_TYPES.contains(path.getPathType())) {
                        problems.add(owner + ": path " + value + " has pathType " + path.getPathType()
                                + "; use Prefix or Exact");
                    }
                    String service = path.getBackend() == null || path.getBackend().getService() == null ? null
                            : path.getBackend().getService().getName();
                    if (!BACKEND.equals(service)) {
                        problems.add(owner + ": path " + value + " routes to " + service + ", not " + BACKEND);
                    }
                }
            }
        }
        return problems;
    }
}
