package io.k0rdent.ops.deploy.checks;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.k0rdent.ops.deploy.kustomize.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every container runs as the Pod Security Standard "restricted" demands, and then some: never as root,
 * no privilege escalation, no capabilities, RuntimeDefault seccomp, a read-only root filesystem with an
 * emptyDir for /tmp. Container settings override the pod's, as in Kubernetes.
 */
final class PodSecurityCheck implements ManifestCheck {

    @Override
    public List<String> check(Rendering rendering, CheckContext context) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : rendering.all(Deployment.class)) {
            PodSpec pod = Workloads.pod(deployment);
            if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                    || Boolean.TRUE.equals(pod.getHostIPC())) {
                problems.add(Workloads.describe(deployment) + ": shares a host namespace (network, PID or IPC)");
            }
            PodSecurityContext podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
            for (Container container : Workloads.containers(deployment)) {
                check(Workloads.describe(deployment, container), pod, podContext, container, problems);
            }
        }
        return problems;
    }

    private static void check(String owner, PodSpec pod, PodSecurityContext podContext, Container container,
                              List<String> problems) {
        SecurityContext own = container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
        Long user = first(own.getRunAsUser(), podContext.getRunAsUser());
        if (user != null && user == 0L) {
            problems.add(owner + ": runs as root (runAsUser 0)");
        } else if (!Boolean.TRUE.equals(first(own.getRunAsNonRoot(), podContext.getRunAsNonRoot()))) {
            problems.add(owner + ": may run as root (runAsNonRoot is not true)");
        }
        if (Boolean.TRUE.equals(own.getPrivileged())) {
            problems.add(owner + ": is privileged");
        }
        if (!Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
            problems.add(owner + ": allows privilege escalation (allowPrivilegeEscalation is not false)");
        }
        if (!Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
            problems.add(owner + ": has a writable root filesystem (readOnlyRootFilesystem is not true)");
        }
        Capabilities capabilities = own.getCapabilities();
        if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
            problems.add(owner + ": does not drop ALL capabilities");
        }
        if (capabilities != null && capabilities.getAdd() != null && !capabilities.getAdd().isEmpty()) {
            problems.add(owner + ": adds capabilities " + capabilities.getAdd());
        }
        SeccompProfile seccomp = first(own.getSeccompProfile(), podContext.getSeccompProfile());
        if (seccomp == null || !"RuntimeDefault".equals(seccomp.getType()) && !"Localhost".equals(seccomp.getType())) {
            problems.add(owner + ": has no RuntimeDefault seccomp profile");
        }
        if (!hasTmpEmptyDir(pod, container)) {
            problems.add(owner + ": has no emptyDir at /tmp, which a read-only root filesystem needs");
        }
    }

    private static boolean hasTmpEmptyDir(PodSpec pod, Container container) {
        return Stream.ofNullable(container.getVolumeMounts()).flatMap(List::stream)
                .filter(mount -> "/tmp".equals(mount.getMountPath()))
                .anyMatch(mount -> Stream.ofNullable(pod.getVolumes()).flatMap(List::stream)
                        .filter(volume -> volume.getName().equals(mount.getName()))
                        .map(Volume::getEmptyDir).anyMatch(Objects::nonNull));
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
