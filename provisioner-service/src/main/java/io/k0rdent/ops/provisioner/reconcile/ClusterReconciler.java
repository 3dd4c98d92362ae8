package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ClusterDefinitionChanged;
import io.k0rdent.ops.contracts.event.ClusterDefinitionCreated;
import io.k0rdent.ops.contracts.event.ClusterDefinitionDeleted;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ControlEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested.RetirementReason;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.aws.Ec2Gateways;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import io.k0rdent.ops.provisioner.ledger.ResourceLedger;
import io.k0rdent.ops.support.control.ClusterControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one cluster's AWS infrastructure with its definition and says what happened as events. The Kafka
 * listeners hand it decoded events and publish what it returns; it knows nothing about Kafka.
 *
 * <p>Every run starts from what EC2 reports for the cluster's tag, so a repeated event (after a crash) finds the
 * work already done and creates nothing twice. An event older than the generation recorded on the VPC is skipped.
 * AWS failures become a {@link ProvisioningFailed} event instead of an exception.
 */
public class ClusterReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);

    private final Ec2Gateways gateways;
    private final NetworkReconciler network;
    private final InstanceReconciler instances;
    private final ApiEndpointReconciler endpoint;
    private final ClusterDestroyer destroyer;
    private final ClusterLocks locks;
    private final KnownClusters known;
    private final ProvisionerProperties properties;
    private final ReconcileHooks hooks;
    private final ClusterControl control;
    private final FailureRetries retries;
    private final Clock clock;
    private final RetirementRequests retirements;

    public ClusterReconciler(Ec2Gateways gateways, NetworkReconciler network, InstanceReconciler instances,
                             ApiEndpointReconciler endpoint, ClusterDestroyer destroyer, ClusterLocks locks, KnownClusters known,
                             ProvisionerProperties properties, ReconcileHooks hooks, ClusterControl control,
                             FailureRetries retries, Clock clock) {
        this.gateways = gateways;
        this.network = network;
        this.instances = instances;
        this.endpoint = endpoint;
        this.destroyer = destroyer;
        this.locks = locks;
        this.known = known;
        this.properties = properties;
        this.hooks = hooks;
        this.control = control;
        this.retries = retries;
        this.clock = clock;
        this.retirements = new RetirementRequests(this::node, clock);
    }

    /** Applies a definition change; answers the events to publish (empty when the event is outdated). */
    public List<InfrastructureEvent> onDefinition(ClusterDefinitionChanged event) {
        String cluster = event.header().clusterName();
        if (control.isSuspended(cluster)) {
            // Queued, not applied: resuming re-drives the latest definition known by then.
            known.remember(event);
            LOG.info("Cluster {} is suspended: generation {} is kept until it is resumed", cluster,
                    event.header().generation());
            return List.of();
        }
        retries.reset(cluster);
        return retries.track(cluster, locks.withLock(cluster, () -> {
            try {
                List<InfrastructureEvent> events = event instanceof ClusterDefinitionDeleted deleted ? delete(deleted)
                        : apply(event, definition(event), "provisioned");
                hooks.beforeEvents(cluster, events);
                return events;
            } catch (Ec2Failure e) {
                LOG.warn("Cluster {} generation {}: {} failed: {} {}", cluster, event.header().generation(),
                        e.resource(), e.errorCode(), e.getMessage());
                return List.of(failed(event.header(), e));
            }
        }));
    }

    /**
     * Re-applies the last known definition (drift repair): same work as for the event, with event ids derived from
     * {@code discriminator} so each repair is a distinct fact.
     */
    public List<InfrastructureEvent> reapply(ClusterDefinitionChanged event, ClusterDefinition definition,
                                             String discriminator) {
        return retries.track(event.header().clusterName(), locks.withLock(event.header().clusterName(), () -> {
            try {
                return apply(event, definition, discriminator);
            } catch (Ec2Failure e) {
                return List.of(failed(event.header(), e));
            }
        }));
    }

    /**
     * Re-drives the cluster's latest definition (or its deletion) for a person's request: {@code k0ops reconcile}, or
     * the end of a suspension. Same work as for the definition event, with event ids derived from the request, so each
     * re-drive reports afresh (and the stages after it run again); retirements still waiting for their drain are
     * asked for again, since a suspension may have dropped their answer. Ignored while the cluster is suspended.
     */
    public List<InfrastructureEvent> redrive(ControlEvent request) {
        return redriveLatest(request.header().clusterName(), "control/" + request.header().eventId(),
                request.type().ceType());
    }

    /**
     * The automatic retry of the {@code attempt}-th failure in a row ({@link FailureRetries}): the latest definition
     * re-driven as for {@link #redrive}, with event ids derived from the attempt. Skipped while suspended.
     */
    public List<InfrastructureEvent> retry(String cluster, int attempt) {
        return redriveLatest(cluster, "retry/" + attempt, "automatic retry " + attempt);
    }

    private List<InfrastructureEvent> redriveLatest(String cluster, String discriminator, String why) {
        if (control.isSuspended(cluster)) {
            LOG.info("Cluster {} is suspended: {} ignored", cluster, why);
            return List.of();
        }
        Optional<ClusterDefinitionChanged> last = known.get(cluster);
        if (last.isEmpty()) {
            LOG.warn("Cluster {}: {} ignored, no definition of it is known", cluster, why);
            return List.of();
        }
        ClusterDefinitionChanged event = last.get();
        return retries.track(cluster, locks.withLock(cluster, () -> {
            try {
                if (event instanceof ClusterDefinitionDeleted deleted) {
                    return delete(deleted);
                }
                List<InfrastructureEvent> events = new ArrayList<>(apply(event, definition(event), discriminator));
                events.addAll(pendingRetirements(event, discriminator, events));
                hooks.beforeEvents(cluster, events);
                return events;
            } catch (Ec2Failure e) {
                LOG.warn("Cluster {}: {} failed: {} {}", cluster, why, e.errorCode(), e.getMessage());
                return List.of(new ProvisioningFailed(event.header().causing(discriminator + "/failed",
                        clock.instant()), e.reason(), e.errorCode(), e.resource(), e.getMessage(), e.retryable()));
            }
        }));
    }

    /**
     * Asks again for the drains of the cluster's live nodes marked to retire at least {@code patience} ago (the drift
     * pass: their answer may never come otherwise, e.g. when the bootstrap service gave up). A drain under way is left
     * alone for that long, since asking again would drain it twice. The ids derive from the definition, so asking
     * again each pass tells the same request, and the bootstrap service drains the nodes once more.
     */
    public List<InfrastructureEvent> retirementsStillWaiting(ClusterDefinitionChanged event, String discriminator,
                                                             Duration patience) {
        Instant overdue = clock.instant().minus(patience);
        return locks.withLock(event.header().clusterName(), () -> {
            try {
                Ec2Gateway ec2 = gateways.forRegion(definition(event).spec().region());
                return retirements.stillWaiting(event.header(), discriminator,
                        ec2.inventory(event.header().clusterName()), List.of(),
                        instance -> RetirementRequests.markedBefore(instance, overdue));
            } catch (Ec2Failure e) {
                return List.of(failed(event.header(), e));
            }
        });
    }

    /**
     * Terminates the drained nodes that were asked to retire. When a rolling replacement is under way, this frees
     * its batch, and the next batch is launched right away: the answer then holds its events, else it is empty.
     */
    public List<InfrastructureEvent> onNodesDrained(NodesDrained event) {
        String cluster = event.header().clusterName();
        if (control.isSuspended(cluster)) {
            // Not terminated now: resuming asks for these drains again, and their answer terminates them then.
            LOG.info("Cluster {} is suspended: drained nodes {} are kept for now", cluster, event.instanceIds());
            return List.of();
        }
        return locks.withLock(cluster, () -> {
            try {
                Ec2Gateway ec2 = gateways.forRegion(regionOf(cluster));
                Set<String> drained = new HashSet<>(event.instanceIds());
                ClusterInventory inventory = ec2.inventory(cluster);
                if (inventory.isEmpty()) {
                    // Not a stale answer about a cluster being changed: there is nothing of it at all (an unknown
                    // cluster). Found by the fault suite, where such a record was skipped without a trace.
                    throw new NoSuchClusterException(cluster, event.instanceIds());
                }
                List<String> terminate = inventory.instances().stream()
                        .filter(i -> i.retiring() != null && !"terminated".equals(i.state())
                                && drained.contains(i.instanceId()))
                        .map(ObservedInstance::instanceId).toList();
                // Only instances this provisioner marked for retirement: a NodesDrained naming anything else (a
                // stale or foreign answer) must never terminate a node that is still wanted.
                ec2.terminate(terminate);
                LOG.info("Cluster {}: terminated drained nodes {}", cluster, terminate);
                return nextRollingBatch(ec2, cluster, terminate);
            } catch (Ec2Failure e) {
                return List.of(failed(event.header(), e));
            }
        });
    }

    private List<InfrastructureEvent> nextRollingBatch(Ec2Gateway ec2, String cluster, List<String> terminated) {
        var last = known.get(cluster).filter(e -> !(e instanceof ClusterDefinitionDeleted));
        if (terminated.isEmpty() || last.isEmpty()) {
            return List.of();
        }
        ClusterDefinition definition = definition(last.get());
        NodePools pools = NodePools.of(definition);
        List<ObservedInstance> instances = ec2.inventory(cluster).instances().stream()
                .filter(i -> !terminated.contains(i.instanceId())).toList();
        InstancePlan plan = InfrastructurePlanner.plan(pools, instances, properties.zoneCount(),
                rollingBatch(pools));
        if (plan.replace().isEmpty()) {
            return List.of();
        }
        return apply(last.get(), definition, "rolling/" + String.join(",", terminated));
    }

    private int rollingBatch(NodePools pools) {
        return Math.max(1, pools.workers() * properties.rollingBatchPercent() / 100);
    }

    private List<InfrastructureEvent> apply(ClusterDefinitionChanged event, ClusterDefinition definition,
                                            String discriminator) {
        EventHeader header = event.header();
        String cluster = header.clusterName();
        Ec2Gateway ec2 = gateways.forRegion(definition.spec().region());
        ClusterInventory inventory = ec2.inventory(cluster);
        long applied = appliedGeneration(inventory);
        if (header.generation() < applied) {
            LOG.info("Cluster {}: skipping generation {}, generation {} is already applied", cluster,
                    header.generation(), applied);
            return List.of();
        }
        known.remember(event);
        NodePools pools = NodePools.of(definition);
        if (inventory.vpc() == null) {
            // Before creating anything: what would make every launch fail is found while there is nothing to undo.
            ec2.catalog().image();
            ec2.catalog().requireKeyPair(definition.spec().ssh().keyName());
        }
        List<String> zones = network.zones(ec2, inventory, pools.instanceTypes());
        ClusterNetwork net = network.ensure(ec2, inventory, definition, header.generation(), zones);
        InstancePlan plan = InfrastructurePlanner.plan(pools, inventory.instances(), net.subnetIds().size(),
                rollingBatch(pools));
        InstanceReconciler.Applied result = instances.apply(ec2, inventory, definition, header.generation(), net,
                plan);

        String apiAddress = endpoint.ensure(ec2, cluster, header.generation(), net,
                definition.spec().networking().publicIp(), result.nodes().stream()
                        .filter(n -> n.role() == NodeRole.CONTROLLER && n.retiring() == null)
                        .map(ObservedInstance::instanceId).collect(java.util.stream.Collectors.toSet()));

        Map<String, String> vpcTags = new LinkedHashMap<>();
        vpcTags.put(ClusterTags.APPLIED_GENERATION, Long.toString(Math.max(applied, header.generation())));
        vpcTags.put(ClusterTags.CONTROLLERS, pools.tag(NodeRole.CONTROLLER));
        vpcTags.put(ClusterTags.WORKERS, pools.tag(NodeRole.WORKER));
        ec2.tag(List.of(net.vpcId()), vpcTags);

        List<InfrastructureEvent> events = new ArrayList<>();
        events.add(new InfrastructureProvisioned(header.causing(discriminator, clock.instant()), definition,
                ec2.region(), net.vpcId(), result.nodes().stream().map(this::node).toList(), apiAddress));
        if (!result.scaleIn().isEmpty()) {
            events.add(retirement(header, discriminator, result.scaleIn(), RetirementReason.SCALE_IN));
        }
        if (!result.replaced().isEmpty()) {
            events.add(retirement(header, discriminator, result.replaced(), RetirementReason.REPLACEMENT));
        }
        LOG.info("Cluster {} generation {}: {} nodes, launched {}, retiring {}", cluster, header.generation(),
                result.nodes().size(), result.launchedIds(), result.scaleIn().size() + result.replaced().size());
        return events;
    }

    private List<InfrastructureEvent> delete(ClusterDefinitionDeleted event) {
        EventHeader header = event.header();
        String cluster = header.clusterName();
        Ec2Gateway ec2 = gateways.forRegion(event.lastDefinition().spec().region());
        ClusterInventory inventory = ec2.inventory(cluster);
        if (header.generation() < appliedGeneration(inventory)) {
            LOG.info("Cluster {}: skipping deletion of generation {}", cluster, header.generation());
            return List.of();
        }
        known.remember(event);
        if (inventory.vpc() != null && inventory.vpcTag(ClusterTags.DELETING) == null) {
            // Marks the deletion in EC2 itself, so the drift check resumes it even after a restart.
            ec2.tag(List.of(inventory.vpc().id()), Map.of(ClusterTags.DELETING, Long.toString(header.generation())));
        }
        List<String> removed;
        try {
            removed = destroyer.destroy(ec2, inventory);
        } catch (Ec2Failure e) {
            known.deletionUnfinished(cluster);
            throw e;
        }
        ClusterInventory after = ec2.inventory(cluster);
        if (!after.isEmpty()) {
            known.deletionUnfinished(cluster);
            ResourceLedger remaining = ResourceLedger.from(after);
            List<String> left = remaining.allIds().stream().filter(id -> !remaining.terminated().contains(id))
                    .toList();
            return List.of(new ProvisioningFailed(header.causing("failed", clock.instant()),
                    ProvisioningFailed.FailureReason.DEPENDENCY_VIOLATION, null, String.join(",", left),
                    "resources still present after deletion: " + left, true));
        }
        known.deletionFinished(cluster);
        return List.of(new InfrastructureDestroyed(header.causing("destroyed", clock.instant()), ec2.region(),
                removed));
    }

    private ProvisionedNode node(ObservedInstance instance) {
        return ProvisionedNodes.of(instance, properties.sshUser(), properties.sshEndpointTag(),
                properties.sshEndpointTagIsAddress());
    }

    private NodesRetirementRequested retirement(EventHeader header, String discriminator,
                                                List<ObservedInstance> nodes, RetirementReason reason) {
        return retirements.request(header, discriminator, nodes, reason);
    }

    private List<InfrastructureEvent> pendingRetirements(ClusterDefinitionChanged event, String discriminator,
                                                         List<InfrastructureEvent> asked) {
        Ec2Gateway ec2 = gateways.forRegion(definition(event).spec().region());
        return retirements.stillWaiting(event.header(), discriminator, ec2.inventory(event.header().clusterName()),
                asked, instance -> true);
    }

    private ProvisioningFailed failed(EventHeader header, Ec2Failure e) {
        return new ProvisioningFailed(header.causing("failed", clock.instant()), e.reason(), e.errorCode(),
                e.resource(), e.getMessage(), e.retryable());
    }

    private String regionOf(String cluster) {
        return known.get(cluster).map(ClusterReconciler::region).orElse(properties.defaultRegion());
    }

    static String region(ClusterDefinitionChanged event) {
        return definition(event).spec().region();
    }

    /** The definition an event carries: the new one, or the last one for a deletion. */
    public static ClusterDefinition definition(ClusterDefinitionChanged event) {
        if (event instanceof ClusterDefinitionCreated created) {
            return created.definition();
        }
        if (event instanceof ClusterDefinitionUpdated updated) {
            return updated.definition();
        }
        return ((ClusterDefinitionDeleted) event).lastDefinition();
    }

    /** The VPC's {@code applied-generation}: the last generation applied in full (0: none yet). */
    public static long appliedGeneration(ClusterInventory inventory) {
        String tag = inventory.vpcTag(ClusterTags.APPLIED_GENERATION);
        try {
            return tag == null ? 0 : Long.parseLong(tag);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
