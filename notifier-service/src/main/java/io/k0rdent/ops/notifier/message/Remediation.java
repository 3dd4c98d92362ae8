package io.k0rdent.ops.notifier.message;

import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;

/** What a person can do about a failure: one hint per failure reason or bootstrap phase. */
final class Remediation {

    private Remediation() {
    }

    static String forProvisioning(ProvisioningFailed.FailureReason reason) {
        if (reason == null) {
            return "Check the provisioner logs for the request that failed.";
        }
        return switch (reason) {
            case THROTTLED -> "AWS throttled the requests. The provisioner retries by itself; act only if it persists.";
            case QUOTA_EXCEEDED -> "Raise the AWS service quota for this region (instances, vCPUs, VPCs or EIPs) "
                    + "or lower the node counts in the definition.";
            case INSUFFICIENT_CAPACITY -> "AWS has no capacity for this instance type here. Choose another instance "
                    + "type or retry later.";
            case INVALID_PARAMETER -> "Check the instance types, region and SSH key name in the definition.";
            case DEPENDENCY_VIOLATION -> "Something outside k0rdent still uses the resource (e.g. an ENI or a "
                    + "security group reference). Remove it; the next reconcile continues.";
            case AUTHORIZATION -> "The provisioner's IAM role lacks a permission. Check its policy.";
            case TIMEOUT -> "AWS did not reach the expected state in time. Check the resource in the AWS console; "
                    + "a new push retries.";
            case AWS_ERROR, INTERNAL -> "Check the provisioner logs for the request that failed.";
        };
    }

    static String forBootstrap(BootstrapPhase phase) {
        if (phase == null) {
            return "Check the bootstrap service logs for this cluster.";
        }
        return switch (phase) {
            case CONNECT -> "Check that the security group allows SSH from the bootstrap service and that the key "
                    + "pair matches.";
            case GATHER_FACTS, VALIDATE_HOSTS -> "Check the operating system and architecture of the hosts.";
            case INSTALL_K0S, UPGRADE -> "Check that the hosts can download k0s (outbound internet or NAT) and have "
                    + "free disk space.";
            case CONFIGURE, INIT_CONTROLLER -> "Check the k0s logs on the controller (journalctl -u k0scontroller).";
            case JOIN_CONTROLLERS, JOIN_WORKERS -> "Check that nodes reach the controller on ports 6443, 8132 and "
                    + "9443, then look at journalctl -u k0sworker on the node.";
            case FETCH_KUBECONFIG, STORE_KUBECONFIG, REMOVE_KUBECONFIG -> "Check the bootstrap service's access to "
                    + "the management cluster's secrets.";
            case VERIFY -> "Look at kubectl get nodes and the pods in kube-system of the new cluster.";
            case DRAIN -> "A pod disruption budget may block the drain. Check kubectl get pdb -A.";
        };
    }

    static String forRejection() {
        return "Fix the problems listed and push again. The last valid definition stays in force.";
    }

    static String forDrift() {
        return "Someone changed AWS resources outside Git. Find out who, and change the definition instead.";
    }
}
