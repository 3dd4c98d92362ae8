package io.k0rdent.ops.provisioner.drift;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.DriftDetected.DriftKind;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.aws.Ec2Gateways;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import io.k0rdent.ops.provisioner.ledger.ResourceLedger;
import io.k0rdent.ops.provisioner.reconcile.ClusterDestroyer;
import io.k0rdent.ops.provisioner.reconcile.ClusterLocks;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.reconcile.KnownClusters;
import io.k0rdent.ops.provisioner.reconcile.NodePools;
import io.k0rdent.ops.provisioner.aws.LoadBalancerNames;
import io.k0rdent.ops.provisioner.reconcile.ApiEndpointReconciler;
import io.k0rdent.ops.provisioner.reconcile.DesiredNetwork;
import io.k0rdent.ops.provisioner.reconcile.NetworkAction;
import io.k0rdent.ops.provisioner.reconcile.NetworkIds;
import io.k0rdent.ops.provisioner.reconcile.NetworkPlanner;
import io.k0rdent.ops.provisioner.reconcile.NetworkReconciler;
import io.k0rdent.ops.support.control.ClusterControl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic comparison of what EC2 has with what the clusters should have:
 * <ul>
 *   <li>a node slot without a live instance (terminated or stopped outside Git) is reported as
 *       {@link DriftKind#INSTANCE_MISSING} / {@link DriftKind#INSTANCE_STOPPED} and replaced by re-applying the
 *       cluster's definition, which also announces the new node with {@code InfrastructureProvisioned}; a slot that
 *       never had an instance (a failed launch) is completed the same way but is not reported: not converged yet
 *       is not drift;</li>
 *   <li>a deletion that stopped half-way (e.g. on {@code DependencyViolation}) is resumed;</li>
 *   <li>resources tagged for a cluster that no longer exists (deleted, or instances without their VPC) are
 *       reported as {@link DriftKind#ORPHAN_RESOURCE} and, when configured, removed.</li>
 * </ul>
 */
public class DriftReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(DriftReconciler.class);

    private final Ec2Gateways gateways;
    private final KnownClusters known;
    private final ClusterReconciler reconciler;
    private final ClusterDestroyer destroyer;
    private final ClusterLocks locks;
    private final ProvisionerProperties properties;
    private final ClusterControl control;
    private final ApiEndpointReconciler endpoint;
    private final NetworkReconciler network;
    private final Clock clock;
    private final ClusterOwnership ownership;

    public DriftReconciler(Ec2Gateways gateways, KnownClusters known, ClusterReconciler reconciler,
                           ClusterDestroyer destroyer, ClusterLocks locks, ProvisionerProperties properties,
                           ClusterControl control, ApiEndpointReconciler endpoint, NetworkReconciler network,
                           Clock clock, ClusterOwnership ownership) {
        this.ownership = ownership;
        this.gateways = gateways;
        this.known = known;
        this.reconciler = reconciler;
        this.destroyer = destroyer;
        this.locks = locks;
        this.properties = properties;
        this.control = control;
        this.endpoint = endpoint;
        this.network = network;
        this.clock = clock;
    }

    /** One pass, as {@link #reconcileAll(Consumer)}; answers every event it reported, for tests. */
    public List<InfrastructureEvent> reconcileAll() {
        List<InfrastructureEvent> events = new ArrayList<>();
        reconcileAll(events::addAll);
        return events;
    }

    /**
     * One pass over every known cluster this replica owns, and every region. Each cluster's events go to
     * {@code report} as soon as that cluster is checked, before the next one: a repair is reported within moments,
     * not after a pass over hundreds of clusters that a crash can cut short (the rule would be back, and the drift
     * told nowhere; found by the long fault run, run 25).
     */
    public void reconcileAll(Consumer<List<InfrastructureEvent>> report) {
        for (ClusterDefinitionChanged cluster : known.live()) {
            checkOwned(cluster.header().clusterName(), report, () -> checkInstances(cluster));
        }
        for (ClusterDefinitionDeleted deleted : known.deleted()) {
            checkOwned(deleted.header().clusterName(), report, () -> resumeDeletion(deleted));
        }
        reportAny(report, orphans());
    }

    /**
     * Checks one cluster if this replica owns its definitions partition (another replica checks the others) and it is
     * not suspended (someone is working on it by hand: it is left as it is, drift and all). Owned is decided under the
     * cluster's lock and the events are reported before it is released: a revocation waits for that lock, so a
     * partition moves on only after the repair under way has been told ({@code PartitionHandOver}).
     */
    private void checkOwned(String cluster, Consumer<List<InfrastructureEvent>> report,
                            Supplier<List<InfrastructureEvent>> check) {
        guarded(cluster, () -> {
            if (ownership.owns(cluster) && !control.isSuspended(cluster)) {
                reportAny(report, check.get());
            }
            return List.of();
        });
    }

    private static void reportAny(Consumer<List<InfrastructureEvent>> report, List<InfrastructureEvent> events) {
        if (!events.isEmpty()) {
            report.accept(events);
        }
    }

    private List<InfrastructureEvent> checkInstances(ClusterDefinitionChanged event) {
        String cluster = event.header().clusterName();
        ClusterDefinition definition = ClusterReconciler.definition(event);
        Ec2Gateway ec2 = gateways.forRegion(definition.spec().region());
        ClusterInventory inventory = ec2.inventory(cluster);
        if (inventory.vpc() == null) {
            return List.of();
        }
        NodePools pools = Optional.ofNullable(NodePools.fromTags(inventory.vpcTag(ClusterTags.CONTROLLERS),
                inventory.vpcTag(ClusterTags.WORKERS))).orElse(NodePools.of(definition));
        List<InfrastructureEvent> events = new ArrayList<>(checkNetwork(event, definition, ec2, inventory, pools));
        if (!events.isEmpty()) {
            inventory = ec2.inventory(cluster);
        }
        List<String> repaired = new ArrayList<>();
        List<String> neverLaunched = new ArrayList<>();
        for (NodeRole role : NodeRole.values()) {
            for (int slot = 0; slot < pools.count(role); slot++) {
                int s = slot;
                List<ObservedInstance> inSlot = inventory.instances().stream()
                        .filter(i -> i.role() == role && i.slot() == s && i.retiring() == null).toList();
                if (inSlot.stream().anyMatch(ObservedInstance::isLive)) {
                    continue;
                }
                ObservedInstance lost = inSlot.stream()
                        .max(Comparator.comparingLong(ObservedInstance::generation)
                                .thenComparing(ObservedInstance::instanceId)).orElse(null);
                if (lost == null) {
                    // No instance ever held this slot (a launch failed): the cluster has not converged yet. That is
                    // completed below but is not drift, since nothing was changed outside Git.
                    neverLaunched.add(role.name().toLowerCase() + "/" + slot);
                    continue;
                }
                String id = lost.instanceId();
                boolean stopped = lost != null && lost.isDown() && !"shutting-down".equals(lost.state());
                String label = role.name().toLowerCase() + "/" + slot;
                events.add(new DriftDetected(event.header().causing("drift/" + id, clock.instant()),
                        stopped ? DriftKind.INSTANCE_STOPPED : DriftKind.INSTANCE_MISSING, id,
                        label + (stopped ? " was stopped outside Git" : " was terminated outside Git"), "replaced"));
                repaired.add(id);
            }
        }
        if (!repaired.isEmpty()) {
            LOG.warn("Cluster {}: drift, replacing {}", cluster, repaired);
        }
        if (!neverLaunched.isEmpty()) {
            LOG.info("Cluster {}: not converged yet, launching {}", cluster, neverLaunched);
        }
        if (!repaired.isEmpty() || !neverLaunched.isEmpty()) {
            List<String> slots = new ArrayList<>(repaired);
            slots.addAll(neverLaunched);
            events.addAll(reconciler.reapply(event, definition, "drift/" + String.join(",", slots)));
            return events; // re-applying brought the endpoint in line too
        }
        events.addAll(checkEndpoint(event, definition, ec2, inventory));
        // Not drift (Git asked for it), but work left undone: a node marked to retire whose drain was never answered
        // (the bootstrap gave up, or its retry was lost) is asked for again, until its NodesDrained terminates it.
        events.addAll(reconciler.retirementsStillWaiting(event, "drift", properties.retirementPatience()));
        return events;
    }

    /**
     * The network against its desired shape ({@link NetworkPlanner}): every difference is reported with what
     * differed (a missing route, association, rule...) and repaired by carrying out the same plan. A cluster whose
     * latest generation was never applied in full has not converged yet: its differences are the unfinished work of
     * that generation (retried, or waiting for Git), not drift, and are neither reported nor touched here.
     */
    private List<InfrastructureEvent> checkNetwork(ClusterDefinitionChanged event, ClusterDefinition definition,
                                                   Ec2Gateway ec2, ClusterInventory inventory, NodePools pools) {
        String cluster = event.header().clusterName();
        if (ClusterReconciler.appliedGeneration(inventory) < event.header().generation()) {
            return List.of();
        }
        DesiredNetwork desired = network.desired(definition, network.zones(ec2, inventory, pools.instanceTypes()));
        List<NetworkAction> plan = NetworkPlanner.plan(inventory, desired);
        if (plan.isEmpty()) {
            return List.of();
        }
        NetworkIds ids = NetworkIds.observed(inventory, desired);
        List<String> descriptions = plan.stream().map(a -> a.description(ids)).toList();
        LOG.warn("Cluster {}: drift of the network: {}", cluster, descriptions);
        String outcome = "repaired";
        try {
            network.apply(ec2, inventory, desired, ClusterReconciler.appliedGeneration(inventory), plan);
        } catch (Ec2Failure e) {
            LOG.warn("Cluster {}: repairing the network failed at {}: {} {}", cluster, e.resource(), e.errorCode(),
                    e.getMessage());
            outcome = "repair failed at " + e.resource() + " (" + e.errorCode() + "); tried again on the next pass";
        }
        // Each pass's observation is its own fact: the same rule revoked again next week is reported again.
        String pass = "drift/network/" + clock.instant().toEpochMilli() + "/";
        List<InfrastructureEvent> events = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            NetworkAction action = plan.get(i);
            events.add(new DriftDetected(event.header().causing(pass + descriptions.get(i), clock.instant()),
                    action.kind(), action.resource(ids), descriptions.get(i), outcome));
        }
        return events;
    }

    /**
     * The API endpoint against its desired shape: the load balancer, its three listeners and target groups, and
     * exactly the live controllers registered. A difference is reported and repaired by re-applying the definition.
     */
    private List<InfrastructureEvent> checkEndpoint(ClusterDefinitionChanged event, ClusterDefinition definition,
                                                    Ec2Gateway ec2, ClusterInventory inventory) {
        String cluster = event.header().clusterName();
        Set<String> controllers = inventory.instances().stream()
                .filter(i -> i.role() == NodeRole.CONTROLLER && i.retiring() == null && i.isLive())
                .map(ObservedInstance::instanceId).collect(java.util.stream.Collectors.toSet());
        List<String> differences = endpoint.differences(ec2, cluster, controllers);
        if (differences.isEmpty()) {
            return List.of();
        }
        LOG.warn("Cluster {}: drift of the API endpoint: {}", cluster, differences);
        String name = LoadBalancerNames.of(cluster).loadBalancer();
        List<InfrastructureEvent> events = new ArrayList<>();
        events.add(new DriftDetected(event.header().causing("drift/endpoint/" + String.join(";", differences),
                clock.instant()), DriftKind.API_ENDPOINT_CHANGED, name,
                String.join("; ", differences) + " (changed outside Git)", "repaired"));
        events.addAll(reconciler.reapply(event, definition, "drift/endpoint/" + String.join(";", differences)));
        return events;
    }

    private List<InfrastructureEvent> resumeDeletion(ClusterDefinitionDeleted deleted) {
        Ec2Gateway ec2 = gateways.forRegion(deleted.lastDefinition().spec().region());
        // Nothing left and nothing unreported: finished. A deletion of this process that failed at its last call
        // may have taken effect all the same (the answer lost): it is finished by reporting it.
        if (ec2.inventory(deleted.header().clusterName()).isEmpty()
                && !known.isDeletionUnfinished(deleted.header().clusterName())) {
            return List.of();
        }
        return reconciler.onDefinition(deleted);
    }

    private List<InfrastructureEvent> orphans() {
        Set<String> live = new HashSet<>();
        known.live().forEach(e -> live.add(e.header().clusterName()));
        Set<String> deleted = new HashSet<>();
        known.deleted().forEach(e -> deleted.add(e.header().clusterName()));
        List<InfrastructureEvent> events = new ArrayList<>();
        Set<String> regions = new HashSet<>(gateways.regions());
        regions.add(properties.defaultRegion());
        for (String region : regions) {
            Ec2Gateway ec2 = gateways.forRegion(region);
            for (String cluster : ec2.taggedClusters()) {
                if (cluster == null || live.contains(cluster) || deleted.contains(cluster)
                        || control.isSuspended(cluster) || !ownership.owns(cluster)) {
                    // Deleted clusters are finished by resumeDeletion; live ones are checked above.
                    continue;
                }
                events.addAll(guarded(cluster, () -> orphan(ec2, cluster)));
            }
        }
        return events;
    }

    // Unknown to this process: an orphan only if it has no VPC, i.e. it cannot be a cluster whose definition this
    // process simply has not seen since it started. A VPC tagged deleting is a deletion to finish.
    private List<InfrastructureEvent> orphan(Ec2Gateway ec2, String cluster) {
        ClusterInventory inventory = ec2.inventory(cluster);
        if (inventory.vpcTag(ClusterTags.DELETING) != null) {
            return resumeTaggedDeletion(ec2, cluster, inventory);
        }
        if (inventory.vpc() != null || inventory.isEmpty()) {
            return List.of();
        }
        ResourceLedger ledger = ResourceLedger.from(inventory);
        boolean remove = properties.removeOrphans();
        List<InfrastructureEvent> events = new ArrayList<>();
        for (String id : ledger.allIds()) {
            if (ledger.terminated().contains(id)) {
                continue;
            }
            EventHeader header = new EventHeader(EventIds.fromParts("orphan", cluster, id), cluster, 0, null, null,
                    clock.instant(), Map.of(), null);
            events.add(new DriftDetected(header, DriftKind.ORPHAN_RESOURCE, id,
                    id + " is tagged for cluster " + cluster + ", which does not exist", remove ? "removed"
                    : "reported"));
        }
        if (remove) {
            destroyer.destroy(ec2, inventory);
        }
        return events;
    }

    /**
     * A deletion that started (its VPC tagged {@code k0rdent.io/deleting}) and whose definition event this process
     * does not know: stalled before a restart, and no longer in the definitions topic. EC2's tag is the durable
     * record, so it is finished from there; {@code InfrastructureDestroyed} is told once, when nothing is left (its
     * id derives from the cluster and the deleting generation, so a repeat would be the same fact).
     */
    private List<InfrastructureEvent> resumeTaggedDeletion(Ec2Gateway ec2, String cluster,
                                                           ClusterInventory inventory) {
        String tag = inventory.vpcTag(ClusterTags.DELETING);
        long generation;
        try {
            generation = Long.parseLong(tag);
        } catch (NumberFormatException e) {
            generation = 0;
        }
        LOG.info("Cluster {}: resuming the deletion of generation {} recorded on its VPC", cluster, generation);
        List<String> removed;
        try {
            removed = destroyer.destroy(ec2, inventory);
        } catch (Ec2Failure e) {
            if (!ec2.inventory(cluster).isEmpty()) {
                throw e;
            }
            removed = ResourceLedger.from(inventory).allIds(); // the last call took effect; its answer was lost
        }
        if (!ec2.inventory(cluster).isEmpty()) {
            return List.of();
        }
        EventHeader header = new EventHeader(EventIds.fromParts("deletion-resumed", cluster, Long.toString(generation)),
                cluster, generation, null, null, clock.instant(), Map.of(), null);
        return List.of(new InfrastructureDestroyed(header, ec2.region(), removed));
    }

    private List<InfrastructureEvent> guarded(String cluster, Supplier<List<InfrastructureEvent>> check) {
        try {
            return locks.withLock(cluster, check);
        } catch (Ec2Failure e) {
            // One cluster's failure must not stop the pass over the others; the next pass tries again.
            LOG.warn("Drift check of {} failed: {} {}", cluster, e.resource(), e.getMessage());
            return List.of();
        }
    }
}
