package io.k0rdent.ops.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.deploy.Fixtures;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each check fails on the fixture that breaks its rule, with the exact message, and passes on
 * {@code valid.yaml}; so a check that silently stopped checking would show here.
 */
class ManifestChecksTest {

    static final Path FIXTURES = Fixtures.path("checks");
    static final CheckContext CONTEXT = CheckContext.of(FIXTURES, FIXTURES.resolve("secrets.example.yaml"));
    static final String DEPLOYMENT = "Deployment demo/demo-service";
    static final String CONTAINER = DEPLOYMENT + " container app";

    static List<String> run(ManifestCheck check, String fixture) {
        return run(check, fixture, CONTEXT);
    }

    static List<String> run(ManifestCheck check, String fixture, CheckContext context) {
        Rendering rendering = new Rendering(ManifestFiles.resources(FIXTURES.resolve(fixture)), List.of());
        return check.check(rendering, context);
    }

    @Test
    void theValidFixturePassesEveryCheck() {
        List<String> problems = new ArrayList<>();
        ManifestChecks.all().forEach(check -> problems.addAll(run(check, "valid.yaml")));

        assertThat(problems).isEmpty();
    }

    @Test
    void aMissingConfigMapFails() {
        assertThat(run(new ReferencesCheck(), "missing-configmap.yaml"))
                .containsExactly(DEPLOYMENT + ": ConfigMap demo-service-cfg does not exist");
    }

    @Test
    void aSecretNotInTheCatalogueFails() {
        assertThat(run(new ReferencesCheck(), "missing-secret.yaml")).containsExactly(
                DEPLOYMENT + ": Secret demo-credentials is neither rendered nor listed in secrets.example.yaml");
    }

    @Test
    void aSecretKeyNotInTheCatalogueFails() {
        assertThat(run(new ReferencesCheck(), "missing-secret-key.yaml"))
                .containsExactly(DEPLOYMENT + ": Secret demo-secret has no key tokn");
    }

    @Test
    void aMissingServiceAccountFails() {
        assertThat(run(new ReferencesCheck(), "missing-serviceaccount.yaml"))
                .containsExactly(DEPLOYMENT + ": ServiceAccount demo-svc does not exist");
    }

    @Test
    void aProbeOnAnUnservedPathFails() {
        assertThat(run(new ProbesCheck(), "probe-path.yaml")).containsExactly(CONTAINER
                + ": livenessProbe calls /healthz, which the service does not serve (only /health, /health/liveness, /health/readiness)");
    }

    @Test
    void aProbeOnAnotherPortFails() {
        assertThat(run(new ProbesCheck(), "probe-port.yaml")).containsExactly(
                CONTAINER + ": readinessProbe calls port 9090, not the HTTP port 8080 the management endpoints are on");
    }

    @Test
    void aConfigMapDisablingTheHealthEndpointFails() {
        assertThat(run(new ProbesCheck(), "health-disabled.yaml")).containsExactly(
                DEPLOYMENT + ": ConfigMap demo-service-config application.yml disables endpoints.health, which the probes call");
    }

    @Test
    void aServiceModuleDisablingTheHealthEndpointFails() {
        Path moduleRoot = FIXTURES.resolve("module-root");
        CheckContext context = CheckContext.of(moduleRoot, FIXTURES.resolve("secrets.example.yaml"));

        assertThat(run(new ProbesCheck(), "valid.yaml", context)).containsExactly(
                DEPLOYMENT + ": demo-service/src/main/resources/application.yml disables endpoints.health, which the probes call");
    }

    @Test
    void aContainerRunningAsRootFails() {
        assertThat(run(new PodSecurityCheck(), "root-container.yaml"))
                .containsExactly(CONTAINER + ": runs as root (runAsUser 0)");
    }

    @Test
    void aContainerThatMayRunAsRootFails() {
        assertThat(run(new PodSecurityCheck(), "maybe-root-container.yaml"))
                .containsExactly(CONTAINER + ": may run as root (runAsNonRoot is not true)");
    }

    @Test
    void anIngressExposingMoreThanWebhooksFails() {
        assertThat(run(new IngressCheck(), "ingress-too-broad.yaml"))
                .containsExactly("Ingress demo/hooks: path / exposes more than /webhooks");
    }

    @Test
    void secretsGrantedToAnotherServiceFail() {
        assertThat(run(new RbacCheck(), "rbac-secrets-to-notifier.yaml")).containsExactly(
                "RoleBinding demo/demo-secrets: binds ServiceAccount demo/notifier-service; only the bootstrap-service gets Kubernetes API permissions",
                "RoleBinding demo/demo-secrets: grants secrets to ServiceAccount demo/notifier-service; only the bootstrap-service may use Secrets");
    }

    @Test
    void secretsGrantedClusterWideFail() {
        assertThat(run(new RbacCheck(), "rbac-cluster-wide.yaml")).containsExactly(
                "ClusterRoleBinding demo-secrets: grants secrets in every namespace; use a Role and RoleBinding in one namespace");
    }

    @Test
    void aTokenMountedIntoAnotherServiceFails() {
        assertThat(run(new RbacCheck(), "token-mounted.yaml")).containsExactly(DEPLOYMENT
                + ": mounts a ServiceAccount token (automountServiceAccountToken is not false), but only the bootstrap-service calls the Kubernetes API");
    }

    @Test
    void aContainerWithoutResourcesFails() {
        assertThat(run(new ResourcesAndDisruptionCheck(), "no-resources.yaml")).containsExactly(
                CONTAINER + ": no resources.requests for cpu and memory",
                CONTAINER + ": no resources.limits.memory");
    }

    @Test
    void aDeploymentWithoutPodDisruptionBudgetFails() {
        assertThat(run(new ResourcesAndDisruptionCheck(), "no-pdb.yaml"))
                .containsExactly(DEPLOYMENT + ": no PodDisruptionBudget selects its pods");
    }

    @Test
    void jvmOptionsWithoutExitOnOutOfMemoryFail() {
        assertThat(run(new JvmOptionsCheck(), "jvm-options.yaml"))
                .containsExactly(CONTAINER + ": JAVA_TOOL_OPTIONS lacks -XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void aConfigurationFileNoConfigMapProvidesFails() {
        assertThat(run(new ConfigFilesCheck(), "config-files.yaml")).containsExactly(CONTAINER
                + ": MICRONAUT_CONFIG_FILES names /etc/k0rdent/conf/application.yml, which no mounted ConfigMap provides");
    }

    @Test
    void kubeconfigsOutsideTheBootstrapRoleFail() {
        assertThat(run(new RbacCheck(), "kubeconfig-namespace.yaml")).containsExactly("Deployment demo/bootstrap-service: "
                + "stores kubeconfigs in namespace k0rdent-system, but it may use Secrets only in k0rdent-kubeconfigs");
    }
}
