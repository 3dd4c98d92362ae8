package io.k0rdent.ops.provisioner.drift;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.DriftDetected.DriftKind;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
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
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.reconcile.KnownClusters;
import io.k0rdent.ops.provisioner.reconcile.NodePools;
import io.k0rdent.ops.provisioner.aws.LoadBalancerNames;
import io.k0rdent.ops.provisioner.reconcile.ApiEndpointReconciler;
import io.k0rdent.ops.support.control.ClusterControl;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
@Singleton
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
    private final Clock clock;

    public DriftReconciler(Ec2Gateways gateways, KnownClusters known, ClusterReconciler reconciler,
                           ClusterDestroyer destroyer, ClusterLocks locks, ProvisionerProperties properties,
                           ClusterControl control, ApiEndpointReconciler endpoint, Clock clock) {
        this.gateways = gateways;
        this.known = known;
        this.reconciler = reconciler;
        this.destroyer = destroyer;
        this.locks = locks;
        this.properties = properties;
        this.control = control;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** One pass over every known cluster and region; answers the events to publish. */
    public List<InfrastructureEvent> reconcileAll() {
        List<InfrastructureEvent> events = new ArrayList<>();
        // A suspended cluster is left as it is, drift and all: someone is working on it by hand.
        for (ClusterDefinitionChanged cluster : known.live()) {
            if (!control.isSuspended(cluster.header().clusterName())) {
                events.addAll(guarded(cluster.header().clusterName(), () -> checkInstances(cluster)));
            }
        }
        for (ClusterDefinitionDeleted deleted : known.deleted()) {
            if (!control.isSuspended(deleted.header().clusterName())) {
                events.addAll(guarded(deleted.header().clusterName(), () -> resumeDeletion(deleted)));
            }
        }
        events.addAll(orphans());
        return events;
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
        List<InfrastructureEvent> events = new ArrayList<>();
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
        if (ec2.inventory(deleted.header().clusterName()).isEmpty()) {
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
        regions.add(properties.getDefaultRegion());
        for (String region : regions) {
            Ec2Gateway ec2 = gateways.forRegion(region);
            for (String cluster : ec2.taggedClusters()) {
                if (cluster == null || live.contains(cluster) || deleted.contains(cluster)
                        || control.isSuspended(cluster)) {
                    // Deleted clusters are finished by resumeDeletion; live ones are checked above.
                    continue;
                }
                events.addAll(guarded(cluster, () -> orphan(ec2, cluster)));
            }
        }
        return events;
    }

    // Unknown to this process: an orphan only if it has no VPC, i.e. it cannot be a cluster whose definition this
    // process simply has not seen since it started.
    private List<InfrastructureEvent> orphan(Ec2Gateway ec2, String cluster) {
        ClusterInventory inventory = ec2.inventory(cluster);
        if (inventory.vpc() != null || inventory.isEmpty()) {
            return List.of();
        }
        ResourceLedger ledger = ResourceLedger.from(inventory);
        boolean remove = properties.isRemoveOrphans();
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
