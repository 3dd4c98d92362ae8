package io.k0rdent.ops.deploy.checks;

import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;

/** Every check, run together. */
public final class ManifestChecks {

    private ManifestChecks() {
    }

    public static List<ManifestCheck> all() {
        return List.of(new ReferencesCheck(), new ProbesCheck(), new PodSecurityCheck(), new IngressCheck(),
                new RbacCheck(), new ResourcesAndDisruptionCheck(), new JvmOptionsCheck(), new ConfigFilesCheck());
    }

    public static List<String> run(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>(rendering.problems());
        all().forEach(check -> problems.addAll(check.check(rendering, context)));
        return problems;
    }
}
