package io.k0rdent.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.kustomize.KustomizationLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The image (root pom's jib-maven-plugin, which every service opts in to) and the manifests agree on user,
 * port, JVM options, main class and image name, and building a service never needs a registry unless asked.
 */
class JibConfigurationTest {

    static final Path ROOT = RepositoryRoot.locate();
    static final String JIB = "jib-maven-plugin";

    static Document pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The jib plugin element under {@code path} (e.g. build/pluginManagement/plugins), if declared there. */
    static Optional<Element> jibPlugin(Document pom, String... path) {
        Element at = pom.getDocumentElement();
        for (String name : path) {
            at = child(at, name).orElse(null);
            if (at == null) {
                return Optional.empty();
            }
        }
        return children(at, "plugin").stream().filter(p -> text(p, "artifactId").equals(JIB)).findFirst();
    }

    static Optional<Element> child(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                result.add(element);
            }
        }
        return result;
    }

    /** The text at a path of child elements, or "" when absent. */
    static String text(Element parent, String... path) {
        Element at = parent;
        for (String name : path) {
            at = child(at, name).orElse(null);
            if (at == null) {
                return "";
            }
        }
        return at.getTextContent().strip();
    }

    static Element rootJib() throws Exception {
        return jibPlugin(pom(ROOT.resolve("pom.xml")), "build", "pluginManagement", "plugins").orElseThrow();
    }

    static List<Deployment> deployments() {
        return new KustomizationLoader(ROOT).load(ROOT.resolve("deploy/kubernetes/base")).all(Deployment.class);
    }

    @Test
    void theImageRunsAsTheManifestsExpect() throws Exception {
        Element configuration = child(rootJib(), "configuration").orElseThrow();
        Element container = child(configuration, "container").orElseThrow();

        assertThat(text(configuration, "from", "image")).as("base image: a JRE, not a JDK").matches("eclipse-temurin:\\d+-jre(@sha256:.*)?");
        assertThat(text(configuration, "to", "image")).isEqualTo("k0rdent-ops/${project.artifactId}");
        assertThat(text(configuration, "to", "tags", "tag")).isEqualTo("${project.version}");
        assertThat(text(container, "format")).isEqualTo("OCI");
        assertThat(text(container, "mainClass")).isEqualTo("${exec.mainClass}");
        assertThat(text(container, "jvmFlags")).as("flags on the command line would override JAVA_TOOL_OPTIONS").isEmpty();

        String user = text(container, "user");
        assertThat(user).as("non-root").matches("\\d+:\\d+").doesNotStartWith("0:");
        String javaToolOptions = text(container, "environment", "JAVA_TOOL_OPTIONS");
        assertThat(javaToolOptions.split("\\s+")).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
        List<String> ports = children(child(container, "ports").orElseThrow(), "port").stream()
                .map(p -> p.getTextContent().strip()).toList();

        for (Deployment deployment : deployments()) {
            PodSecurityContext pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
            assertThat(user).as(deployment.getMetadata().getName() + " runAsUser:runAsGroup")
                    .isEqualTo(pod.getRunAsUser() + ":" + pod.getRunAsGroup());
            for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).extracting(String::valueOf)
                        .as(c.getName() + " container ports").containsExactlyInAnyOrderElementsOf(ports);
                assertThat(c.getEnv()).filteredOn(v -> v.getName().equals("JAVA_TOOL_OPTIONS")).extracting(EnvVar::getValue)
                        .as(c.getName() + " JAVA_TOOL_OPTIONS, the same in the image and the pod").containsExactly(javaToolOptions);
            }
        }
    }

    @Test
    void jibIsSkippedAndUnboundUnlessAModuleOptsIn() throws Exception {
        Element jib = rootJib();

        assertThat(text(jib, "configuration", "skip")).as("skip by default: libraries have no main class").isEqualTo("true");
        assertThat(child(jib, "executions")).as("bound to no phase: a normal build needs no registry").isEmpty();
        assertThat(jibPlugin(pom(ROOT.resolve("pom.xml")), "build", "plugins")).as("not active in every module").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitwatcher-service", "provisioner-service", "bootstrap-service", "notifier-service"})
    void everyServiceOptsInWithAMainClassThatExists(String service) throws Exception {
        Document pom = pom(ROOT.resolve(service).resolve("pom.xml"));
        Element project = pom.getDocumentElement();
        Element jib = jibPlugin(pom, "build", "plugins").orElseThrow(() -> new AssertionError(service + " does not list " + JIB));

        assertThat(text(jib, "configuration", "skip")).as(service + " opts in").isEqualTo("false");
        assertThat(text(jib, "version")).as("the version comes from the root pluginManagement").isEmpty();
        assertThat(child(jib, "executions")).as(service + ": bound to no phase").isEmpty();

        String mainClass = text(project, "properties", "exec.mainClass");
        Path source = ROOT.resolve(service).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java");
        assertThat(source).as(service + " exec.mainClass " + mainClass).isRegularFile();
        assertThat(Files.readString(source)).contains("public static void main(String[] args)");

        // The image name jib gives it is the one the Deployment runs.
        String image = "k0rdent-ops/" + text(project, "artifactId") + ":" + text(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
        Deployment deployment = deployments().stream().filter(d -> d.getMetadata().getName().equals(service)).findFirst().orElseThrow();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getImage).containsExactly(image);
    }
}
