package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested.RetirementReason;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.InstanceSettings;
import io.k0rdent.ops.provisioner.aws.LaunchSpec;
import io.k0rdent.ops.provisioner.aws.MachineImage;
import io.k0rdent.ops.provisioner.hostkey.CloudConfig;
import io.k0rdent.ops.provisioner.hostkey.HostKey;
import io.k0rdent.ops.provisioner.hostkey.HostKeySettings;
import io.k0rdent.ops.provisioner.hostkey.HostKeys;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out an {@link InstancePlan}: launches the missing slots (one RunInstances per slot with a deterministic
 * ClientToken), waits with the SDK waiter until every node runs, and tags the instances to retire. Returns what the
 * events need.
 */
public class InstanceReconciler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceReconciler.class);

    private static final int MAX_TOKEN_ATTEMPTS = 10;

    private final ReconcileHooks hooks;
    private final InstanceSettings settings;
    private final HostKeys hostKeys;
    private final Clock clock;

    public InstanceReconciler(ReconcileHooks hooks, InstanceSettings settings, HostKeySettings hostKeySettings,
                              Clock clock) {
        this.hooks = hooks;
        this.settings = settings;
        this.hostKeys = hostKeySettings.hostKeys().orElse(null);
        this.clock = clock;
        if (hostKeys == null) {
            LOG.warn("k0rdent.provisioner.host-keys.seed-file is not set: nodes keep the host keys their image "
                    + "generates, and the bootstrap service cannot pin them");
        }
    }

    /**
     * The result of applying a plan.
     *
     * @param nodes    the cluster's running nodes, controllers first, by slot
     * @param scaleIn  nodes asked to be retired because the pool shrank
     * @param replaced nodes asked to be retired because a replacement with the new type runs now
     */
    public record Applied(List<ObservedInstance> nodes, List<ObservedInstance> scaleIn,
                          List<ObservedInstance> replaced, List<String> launchedIds) {
    }

    public Applied apply(Ec2Gateway ec2, ClusterInventory inventory, ClusterDefinition definition, long generation,
                         ClusterNetwork network, InstancePlan plan) {
        String cluster = definition.name();
        MachineImage image = plan.launches().isEmpty() ? null : ec2.catalog().image();
        List<String> launched = new ArrayList<>();
        // The definition's size, else the service's default; it applies to nodes launched from now on.
        Integer requested = definition.spec().nodes().rootVolumeGiB();
        int rootVolumeGiB = requested != null ? requested : settings.rootVolumeSizeGib();
        for (InstancePlan.Launch launch : plan.launches()) {
            int attempt = (int) inventory.instances().stream()
                    .filter(i -> i.role() == launch.role() && i.slot() == launch.slot() && i.generation() == generation
                            && !i.isLive())
                    .count();
            ObservedInstance instance = launchOnce(ec2, cluster, generation, network, launch, image,
                    definition.spec().ssh().keyName(), definition.spec().networking().publicIp(), attempt,
                    rootVolumeGiB);
            launched.add(instance.instanceId());
        }
        if (!launched.isEmpty()) {
            hooks.afterLaunch(cluster, launched);
        }
        List<String> nodeIds = new ArrayList<>(plan.keep().stream().map(ObservedInstance::instanceId).toList());
        nodeIds.addAll(launched);
        List<ObservedInstance> running = new ArrayList<>(ec2.waitUntilRunning(nodeIds));
        running.sort(Comparator.comparing(ObservedInstance::role).thenComparingInt(ObservedInstance::slot));

        terminateReplacedStopped(ec2, inventory, running);
        tagRetiring(ec2, plan.scaleIn(), RetirementReason.SCALE_IN);
        tagRetiring(ec2, plan.replace(), RetirementReason.REPLACEMENT);
        return new Applied(running, plan.scaleIn(), plan.replace(), launched);
    }

    // A ClientToken stays bound to its instance after termination. If EC2 answers with such an instance (its
    // terminated predecessor is no longer listed), the next attempt number gives a fresh token. So does
    // IdempotentParameterMismatch: the token already launched something with other parameters (EC2 docs, "Ensuring
    // idempotency"), which is not this slot's instance, or the inventory would have found it by its tags.
    private ObservedInstance launchOnce(Ec2Gateway ec2, String cluster, long generation, ClusterNetwork network,
                                        InstancePlan.Launch launch, MachineImage image, String keyName,
                                        boolean publicIp, int firstAttempt, int rootVolumeGiB) {
        int zone = launch.zoneIndex() % network.subnetIds().size();
        List<String> groups = launch.role() == NodeRole.CONTROLLER
                ? List.of(network.securityGroups().get(NetworkLayout.nodesGroup(cluster)),
                network.securityGroups().get(NetworkLayout.controllersGroup(cluster)))
                : List.of(network.securityGroups().get(NetworkLayout.nodesGroup(cluster)));
        for (int attempt = firstAttempt; attempt < firstAttempt + MAX_TOKEN_ATTEMPTS; attempt++) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(ClusterTags.CLUSTER, cluster);
            tags.put(ClusterTags.ROLE, launch.role() == NodeRole.CONTROLLER ? "controller" : "worker");
            tags.put(ClusterTags.GENERATION, Long.toString(generation));
            tags.put(ClusterTags.SLOT, Integer.toString(launch.slot()));
            tags.put(ClusterTags.NAME, cluster + "-" + launch.label().replace('/', '-'));
            String token = ClientTokens.of(cluster, generation, launch.role(), launch.slot(), attempt);
            // One key per token: a repeated launch sends the same user-data, a new attempt gets a new key.
            HostKey hostKey = hostKeys == null ? null : hostKeys.forToken(token);
            if (hostKey != null) {
                tags.put(ClusterTags.SSH_HOST_KEY, hostKey.fingerprint());
            }
            LaunchSpec spec = new LaunchSpec(image, launch.instanceType(), keyName, network.subnetIds().get(zone),
                    network.zones().get(zone), groups, publicIp, token, tags, launch.label(),
                    new LaunchSpec.RootVolume(rootVolumeGiB, settings.rootVolumeType()),
                    settings.instanceProfile(), hostKey == null ? null : CloudConfig.encoded(hostKey),
                    settings.metadataHopLimit());
            ObservedInstance instance;
            try {
                instance = ec2.runInstance(spec);
            } catch (Ec2Failure e) {
                if ("IdempotentParameterMismatch".equals(e.errorCode())) {
                    continue;
                }
                throw e;
            }
            if (instance.isLive()) {
                return instance;
            }
        }
        throw new Ec2Failure(ProvisioningFailed.FailureReason.INTERNAL, "IdempotentParameterMismatch",
                "RunInstances " + launch.label(), "every ClientToken tried for " + launch.label()
                + " belongs to a terminated instance or to a launch with other parameters", false, null);
    }

    /**
     * A stopped (or stopping) instance whose slot now has a running node was replaced: it is no node of the cluster
     * any more, but its volume is billed for as long as it exists, so it is terminated. Only once its replacement
     * runs, so a slot is never left with neither.
     */
    private static void terminateReplacedStopped(Ec2Gateway ec2, ClusterInventory inventory,
                                                 List<ObservedInstance> running) {
        List<String> replaced = inventory.instances().stream()
                .filter(i -> ("stopped".equals(i.state()) || "stopping".equals(i.state())) && i.retiring() == null)
                .filter(i -> running.stream().anyMatch(r -> r.role() == i.role() && r.slot() == i.slot()
                        && !r.instanceId().equals(i.instanceId())))
                .map(ObservedInstance::instanceId).toList();
        if (!replaced.isEmpty()) {
            LOG.info("Terminating stopped instances whose slots have running replacements: {}", replaced);
            ec2.terminate(replaced);
        }
    }

    private void tagRetiring(Ec2Gateway ec2, List<ObservedInstance> instances, RetirementReason reason) {
        List<String> untagged = instances.stream().filter(i -> i.retiring() == null)
                .map(ObservedInstance::instanceId).toList();
        if (!untagged.isEmpty()) {
            ec2.tag(untagged, Map.of(ClusterTags.RETIRING, reason.name(),
                    ClusterTags.RETIRING_SINCE, clock.instant().toString()));
        }
    }
}
