package io.k0rdent.ops.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Kubernetes API access is the bootstrap-service's alone: only it may be bound to a role, only a
 * namespaced Role may grant Secrets, and every other pod runs without a ServiceAccount token.
 */
final class RbacCheck implements ManifestCheck {

    static final String SECRET_WRITER = "bootstrap-service";

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        Set<String> secretNamespaces = new TreeSet<>();
        for (RoleBinding binding : rendering.all(RoleBinding.class)) {
            String owner = "RoleBinding " + binding.getMetadata().getNamespace() + "/" + binding.getMetadata().getName();
            Optional<List<PolicyRule>> rules = rules(rendering, binding.getRoleRef(), binding.getMetadata().getNamespace());
            checkBinding(owner, binding.getRoleRef(), rules, binding.getSubjects(), false, problems);
            if (rules.isPresent() && grantsSecrets(rules.get())) {
                secretNamespaces.add(binding.getMetadata().getNamespace());
            }
        }
        for (ClusterRoleBinding binding : rendering.all(ClusterRoleBinding.class)) {
            String owner = "ClusterRoleBinding " + binding.getMetadata().getName();
            checkBinding(owner, binding.getRoleRef(), rules(rendering, binding.getRoleRef(), null),
                    binding.getSubjects(), true, problems);
        }
        for (Deployment deployment : rendering.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            if (name.equals(SECRET_WRITER)) {
                checkKubeconfigNamespace(rendering, deployment, secretNamespaces, problems);
            } else if (mountsToken(rendering, deployment)) {
                problems.add(Workloads.describe(deployment) + ": mounts a ServiceAccount token "
                        + "(automountServiceAccountToken is not false), but only the " + SECRET_WRITER
                        + " calls the Kubernetes API");
            }
        }
        return problems;
    }

    private static void checkBinding(String owner, RoleRef roleRef, Optional<List<PolicyRule>> rules,
                                     List<Subject> subjects, boolean clusterWide, List<String> problems) {
        if (rules.isEmpty()) {
            problems.add(owner + ": refers to " + roleRef.getKind() + " " + roleRef.getName()
                    + ", which is not rendered, so what it grants cannot be checked");
        }
        for (Subject subject : Stream.ofNullable(subjects).flatMap(List::stream).toList()) {
            boolean secretWriter = "ServiceAccount".equals(subject.getKind()) && SECRET_WRITER.equals(subject.getName());
            String who = subject.getKind() + " " + (subject.getNamespace() == null ? "" : subject.getNamespace() + "/")
                    + subject.getName();
            if (!secretWriter) {
                problems.add(owner + ": binds " + who + "; only the " + SECRET_WRITER
                        + " gets Kubernetes API permissions");
            }
            if (rules.isPresent() && grantsSecrets(rules.get()) && !secretWriter) {
                problems.add(owner + ": grants secrets to " + who + "; only the " + SECRET_WRITER + " may use Secrets");
            }
        }
        if (clusterWide && rules.isPresent() && grantsSecrets(rules.get())) {
            problems.add(owner + ": grants secrets in every namespace; use a Role and RoleBinding in one namespace");
        }
    }

    private static Optional<List<PolicyRule>> rules(Rendering rendering, RoleRef roleRef, String namespace) {
        if ("Role".equals(roleRef.getKind()) && namespace != null) {
            return rendering.find(Role.class, namespace, roleRef.getName()).map(Role::getRules);
        }
        if ("ClusterRole".equals(roleRef.getKind())) {
            return rendering.all(ClusterRole.class).stream()
                    .filter(role -> roleRef.getName().equals(role.getMetadata().getName()))
                    .findFirst().map(ClusterRole::getRules);
        }
        return Optional.empty();
    }

    static boolean grantsSecrets(List<PolicyRule> rules) {
        return Stream.ofNullable(rules).flatMap(List::stream).anyMatch(rule ->
                matches(rule.getApiGroups(), "") && (matches(rule.getResources(), "secrets")));
    }

    private static boolean matches(List<String> values, String wanted) {
        return values != null && (values.contains(wanted) || values.contains("*"));
    }

    /** The pod setting wins; without it, the ServiceAccount's; without that, Kubernetes mounts the token. */
    private static boolean mountsToken(Rendering rendering, Deployment deployment) {
        Boolean podSetting = Workloads.pod(deployment).getAutomountServiceAccountToken();
        if (podSetting != null) {
            return podSetting;
        }
        String account = Workloads.pod(deployment).getServiceAccountName();
        return rendering.find(ServiceAccount.class, deployment.getMetadata().getNamespace(), account == null ? "default" : account)
                .map(ServiceAccount::getAutomountServiceAccountToken)
                .map(Boolean.TRUE::equals)
                .orElse(true);
    }

    /** The namespace the bootstrap-service writes kubeconfigs to must be the one its Role covers. */
    private static void checkKubeconfigNamespace(Rendering rendering, Deployment deployment, Set<String> granted,
                                                 List<String> problems) {
        for (ConfigMap configMap : Workloads.mountedConfigMaps(rendering, deployment)) {
            if (configMap.getData() == null || !configMap.getData().containsKey("application.yml")) {
                continue;
            }
            JsonNode namespace = ManifestFiles.tree(configMap.getData().get("application.yml"))
                    .path("k0rdent").path("bootstrap").path("kubeconfig").path("namespace");
            if (namespace.isTextual() && !granted.contains(namespace.asText())) {
                problems.add(Workloads.describe(deployment) + ": stores kubeconfigs in namespace " + namespace.asText()
                        + ", but it may use Secrets only in " + (granted.isEmpty() ? "no namespace" : String.join(", ", granted)));
            }
        }
    }
}
