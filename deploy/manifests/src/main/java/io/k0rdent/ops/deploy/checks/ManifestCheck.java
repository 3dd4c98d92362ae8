package io.k0rdent.ops.deploy.checks;

import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.List;

/** One rule the rendered manifests must keep. Returns one message per violation, empty when kept. */
public interface ManifestCheck {

    List<String> check(Rendering rendering, CheckContext context);
}
