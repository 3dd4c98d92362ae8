package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.ReadyNode;
import io.k0rdent.ops.sandbox.hosts.CommandRecord;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scale-out, scale-in and rolling upgrades of a running cluster. */
class ClusterUpdatesIT {

    private static final String NEXT = "1.28.4+k0s.0";

    private BootstrapSandbox sandbox;
    private ClusterBootstrapper bootstrapper;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
        bootstrapper = sandbox.bootstrapper();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static io.k0rdent.ops.contracts.event.InfrastructureProvisioned withIngress(
            io.k0rdent.ops.contracts.event.InfrastructureProvisioned event, boolean ingress) {
        var d = event.definition();
        var spec = d.spec();
        var definition = new io.k0rdent.ops.contracts.definition.ClusterDefinition(d.apiVersion(), d.kind(),
                d.metadata(), new io.k0rdent.ops.contracts.definition.ClusterSpec(spec.region(), spec.networking(),
                spec.nodes(), spec.k0s(), spec.ssh(), new io.k0rdent.ops.contracts.definition.Addons(
                new io.k0rdent.ops.contracts.definition.Addon(ingress), spec.addons().metricsServer()),
                spec.deletionProtection()));
        return new io.k0rdent.ops.contracts.event.InfrastructureProvisioned(event.header(), definition,
                event.region(), event.vpcId(), event.nodes(), event.apiAddress());
    }

    private static long ingressPods(BootstrapSandbox.Cluster cluster) {
        return cluster.host(0).cluster().orElseThrow().client().pods().inNamespace("ingress-nginx").list().getItems()
                .size();
    }

    @Test
    void anAddonSwitchedOnARunningClusterTakesEffectByRestartingK0sOneControllerAtATime() {
        // Issue 15 item 5: the changed configuration was written, but k0s reads it at start, so nothing changed.
        BootstrapSandbox.Cluster cluster = sandbox.cluster("addons", 3, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)))
                .isInstanceOf(ClusterReady.class);
        assertThat(ingressPods(cluster)).isEqualTo(1);
        int[] before = {cluster.host(0).commands().size(), cluster.host(1).commands().size(),
            cluster.host(2).commands().size()};

        assertThat(bootstrapper.bootstrap(withIngress(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 2), false)))
                .isInstanceOf(ClusterReady.class);
        assertThat(ingressPods(cluster)).as("ingress switched off").isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.host(i).commands().stream().skip(before[i]).map(CommandRecord::line))
                    .containsSubsequence("sudo -n k0s stop", "sudo -n k0s start");
        }
        // One at a time: each controller was serving again before the next one stopped.
        long secondStop = cluster.host(1).commands().stream().filter(c -> c.line().equals("sudo -n k0s stop"))
                .mapToLong(CommandRecord::sequence).max().orElseThrow();
        long firstStart = cluster.host(0).commands().stream().filter(c -> c.line().equals("sudo -n k0s start"))
                .mapToLong(CommandRecord::sequence).max().orElseThrow();
        assertThat(firstStart).isLessThan(secondStop);

        assertThat(bootstrapper.bootstrap(withIngress(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 3), true)))
                .isInstanceOf(ClusterReady.class);
        assertThat(ingressPods(cluster)).as("and on again").isEqualTo(1);
    }

    @Test
    void scaleOutJoinsOnlyTheNewWorkers() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("grow", 1, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        SimulatedHost added = sandbox.hosts().addHost("w-grow-1", "ubuntu");
        List<ProvisionedNode> nodes = new ArrayList<>(cluster.nodes());
        nodes.add(sandbox.node("grow", NodeRole.WORKER, 1, added, 40));
        List<SimulatedHost> hosts = new ArrayList<>(cluster.hosts());
        hosts.add(added);
        BootstrapSandbox.Cluster grown = new BootstrapSandbox.Cluster("grow", hosts, nodes);
        int oldWorkerCommands = cluster.host(1).commands().size();

        BootstrapEvent result = bootstrapper.bootstrap(BootstrapSandbox.provisioned(grown, BootstrapSandbox.VERSION, 2));

        assertThat(result).isInstanceOfSatisfying(ClusterReady.class, ready -> assertThat(ready.nodes())
                .extracting(ReadyNode::name).containsExactlyInAnyOrder(cluster.host(1).hostname(), "w-grow-1"));
        assertThat(cluster.host(1).commands().stream().skip(oldWorkerCommands).map(CommandRecord::line))
                .noneMatch(l -> l.contains("install") || l.contains("start") || l.contains("curl"));
        assertThat(added.commands()).extracting(CommandRecord::line)
                .contains("sudo -n k0s install worker --force --token-file /etc/k0s/join-token", "sudo -n k0s start");
    }

    @Test
    void scaleInCordonsDrainsAndDeletesTheNodeBeforeReportingNodesDrained() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("shrink", 1, 2);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        SimulatedHost leaving = cluster.host(2);
        KubernetesClient api = leaving.cluster().orElseThrow().client();
        api.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("app-1").withNamespace("default")
                .endMetadata().withNewSpec().withNodeName(leaving.hostname()).endSpec().build()).create();

        BootstrapEvent result = bootstrapper.retire(new NodesRetirementRequested(BootstrapSandbox.header("shrink", 2, "retire"),
                List.of(cluster.nodes().get(2)), NodesRetirementRequested.RetirementReason.SCALE_IN));

        assertThat(result).isInstanceOfSatisfying(NodesDrained.class, drained ->
                assertThat(drained.instanceIds()).containsExactly(cluster.nodes().get(2).instanceId()));
        assertThat(leaving.cordonedAtStop()).containsExactly(leaving.hostname() + ":cordoned");
        assertThat(api.nodes().withName(leaving.hostname()).get()).isNull();
        assertThat(api.pods().inNamespace("default").withName("app-1").get()).isNull();
        assertThat(api.nodes().withName(cluster.host(1).hostname()).get()).isNotNull();
    }

    private static io.fabric8.kubernetes.api.model.Pod web(KubernetesClient api, String name, String node) {
        return api.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace("default").addToLabels("app", "web").endMetadata().withNewSpec().withNodeName(node)
                .endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build()).create();
    }

    @Test
    void aDisruptionBudgetThatAllowsNoEvictionHoldsTheDrainAndTheFailureNamesPodAndBudget() {
        // Issue 15 item 6: pods were deleted directly, so a budget never counted.
        BootstrapSandbox.Cluster cluster = sandbox.cluster("budget", 1, 2);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        SimulatedHost leaving = cluster.host(2);
        KubernetesClient api = leaving.cluster().orElseThrow().client();
        web(api, "web-1", leaving.hostname());
        api.resource(new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder().withNewMetadata()
                .withName("web").withNamespace("default").endMetadata().withNewSpec()
                .withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(1)).withNewSelector()
                .addToMatchLabels("app", "web").endSelector().endSpec().build()).create();
        NodesRetirementRequested retire = new NodesRetirementRequested(BootstrapSandbox.header("budget", 2, "retire"),
                List.of(cluster.nodes().get(2)), NodesRetirementRequested.RetirementReason.SCALE_IN);

        BootstrapEvent blocked = bootstrapper.retire(retire);

        assertThat(blocked).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.DRAIN);
            assertThat(failed.retryable()).isTrue();
            assertThat(failed.message()).contains("pod default/web-1")
                    .contains("The disruption budget web needs 1 healthy pods and has 1 currently");
        });
        assertThat(leaving.running()).as("k0s keeps running while its pods cannot leave").isTrue();
        assertThat(api.nodes().withName(leaving.hostname()).get()).isNotNull();

        // A second healthy replica elsewhere meets the budget: the retry drains.
        web(api, "web-2", cluster.host(1).hostname());
        assertThat(bootstrapper.retire(retire)).isInstanceOf(NodesDrained.class);
        assertThat(api.pods().inNamespace("default").withName("web-1").get()).isNull();
        assertThat(api.pods().inNamespace("kube-system").withName("kube-proxy-" + leaving.hostname()).get())
                .as("DaemonSet pods are left alone").isNotNull();
    }

    private static void cordon(KubernetesClient api, String node, String cordonedFor) {
        api.nodes().withName(node).edit(n -> {
            n.getSpec().setUnschedulable(true);
            if (cordonedFor != null) {
                n.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of("k0rdent.io/cordoned-for",
                        cordonedFor)));
            }
            return n;
        });
    }

    @Test
    void aWorkerLeftCordonedByAnUpgradeThatCrashedIsUncordonedByTheServiceAfterItsRestart() {
        // Issue 18: "cordoned by me" lived in memory only; killed between an upgraded worker's start and its uncordon,
        // the restarted service reported Ready with the worker cordoned forever.
        BootstrapSandbox.Cluster cluster = sandbox.cluster("cordon", 1, 2);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        KubernetesClient api = cluster.host(0).cluster().orElseThrow().client();
        String worker = cluster.host(1).hostname();
        cordon(api, worker, "upgrade");

        ClusterBootstrapper restarted = sandbox.bootstrapper();
        assertThat(restarted.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 2))).isInstanceOf(ClusterReady.class);

        var node = api.nodes().withName(worker).get();
        assertThat(node.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(node.getMetadata().getAnnotations()).doesNotContainKey("k0rdent.io/cordoned-for");
    }

    @Test
    void aNodeSomeoneElseCordonedIsNotReadyAndTheFailureSaysSo() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("held", 1, 2);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        KubernetesClient api = cluster.host(0).cluster().orElseThrow().client();
        cordon(api, cluster.host(2).hostname(), null);

        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 2)))
                .isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
                    assertThat(failed.phase()).isEqualTo(BootstrapPhase.VERIFY);
                    assertThat(failed.message()).contains("node " + cluster.host(2).hostname()
                            + " is cordoned (spec.unschedulable), not by this service");
                });
        assertThat(api.nodes().withName(cluster.host(2).hostname()).get().getSpec().getUnschedulable())
                .as("someone else's cordon is theirs to lift").isTrue();
    }

    @Test
    void aRetiredControllerLeavesEtcdBeforeItStops() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("shrink-ha", 3, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        SimulatedHost leaving = cluster.host(2);

        BootstrapEvent result = bootstrapper.retire(new NodesRetirementRequested(BootstrapSandbox.header("shrink-ha", 2, "retire"),
                List.of(cluster.nodes().get(2)), NodesRetirementRequested.RetirementReason.REPLACEMENT));

        assertThat(result).isInstanceOf(NodesDrained.class);
        assertThat(leaving.leftEtcd()).isTrue();
        assertThat(leaving.running()).isFalse();
        assertThat(leaving.commands()).extracting(CommandRecord::line)
                .containsSubsequence("sudo -n k0s etcd leave", "sudo -n k0s stop");
    }

    @Test
    void anUpgradeGoesControllerByControllerThenDrainsEachWorkerFirst() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("roll", 3, 3);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        long before = sandbox.hosts().commands().size();

        BootstrapEvent result = bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, NEXT, 2));

        assertThat(result).isInstanceOfSatisfying(ClusterReady.class, ready -> {
            assertThat(ready.k0sVersion()).isEqualTo(NEXT);
            assertThat(ready.nodes()).extracting(ReadyNode::kubeletVersion).containsOnly("v1.28.4+k0s");
        });
        List<CommandRecord> upgrade = sandbox.hosts().commands().stream().skip(before)
                .filter(r -> r.line().equals("sudo -n k0s stop") || r.line().equals("sudo -n k0s start")).toList();
        List<String> order = upgrade.stream().map(r -> host(cluster, r.host()) + " " + r.line().substring("sudo -n k0s ".length())).toList();
        // Controllers strictly one at a time, in order, before any worker; workers in batches of one (10 % of 3).
        assertThat(order).containsExactly(
                "c0 stop", "c0 start", "c1 stop", "c1 start", "c2 stop", "c2 start",
                "w0 stop", "w0 start", "w1 stop", "w1 start", "w2 stop", "w2 start");
        for (int i = 3; i < 6; i++) {
            assertThat(cluster.host(i).cordonedAtStop()).containsExactly(cluster.host(i).hostname() + ":cordoned");
            assertThat(cluster.host(i).k0sVersion()).contains(NEXT);
        }
        KubernetesClient api = cluster.host(0).cluster().orElseThrow().client();
        assertThat(api.nodes().list().getItems()).allSatisfy(n -> assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE));
    }

    @Test
    void anUpgradeThatFailsOnAWorkerResumesWithoutTouchingTheUpgradedNodesAgain() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("resume", 1, 2);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        SimulatedHost failing = cluster.host(2);
        failing.fail(new io.k0rdent.ops.sandbox.hosts.Fault("k0s start", 1, "Error: failed to start kubelet\n", 1));

        BootstrapEvent first = bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, NEXT, 2));

        assertThat(first).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.UPGRADE);
            assertThat(failed.host()).isEqualTo(failing.address());
            assertThat(failed.command()).isEqualTo("sudo -n k0s start");
            assertThat(failed.retryable()).isTrue();
        });
        long before = sandbox.hosts().commands().size();

        BootstrapEvent retry = bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, NEXT, 2));

        assertThat(retry).isInstanceOfSatisfying(ClusterReady.class, ready -> assertThat(ready.nodes())
                .extracting(ReadyNode::kubeletVersion).containsOnly("v1.28.4+k0s"));
        List<CommandRecord> again = sandbox.hosts().commands().stream().skip(before).toList();
        assertThat(again).as("nothing is stopped again, and no binary replaced again")
                .noneMatch(r -> r.line().equals("sudo -n k0s stop") || r.line().contains("curl"));
        assertThat(again).filteredOn(r -> r.line().equals("sudo -n k0s start")).extracting(CommandRecord::host)
                .as("only the worker whose upgrade failed is started again").containsExactly(failing.address());
        KubernetesClient api = cluster.host(0).cluster().orElseThrow().client();
        assertThat(api.nodes().list().getItems()).as("the interrupted worker is schedulable again")
                .allSatisfy(n -> assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE));
    }

    /**
     * Found by the fault suite (deploy/faults): the bootstrap-service was killed while upgrading a controller, after
     * {@code k0s stop}. The retry (a fresh bootstrapper, as after a restart: no checkpoint) must start that
     * controller again instead of asking the stopped controller for a kubeconfig, and finish the upgrade.
     */
    @Test
    void anUpgradeInterruptedAfterAControllerStoppedIsFinishedByARetryAfterARestart() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("halted", 1, 2);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);
        // The controller is stopped and its binary replaced, then its start fails: where a crash leaves it.
        cluster.host(0).fail(new io.k0rdent.ops.sandbox.hosts.Fault("k0s start", 1, "Error: interrupted\n", 1));
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, NEXT, 2)))
                .isInstanceOfSatisfying(BootstrapFailed.class, f -> assertThat(f.phase()).isEqualTo(BootstrapPhase.UPGRADE));
        assertThat(cluster.host(0).running()).isFalse();

        BootstrapEvent retry = sandbox.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, NEXT, 2));

        assertThat(retry).isInstanceOfSatisfying(ClusterReady.class, ready -> {
            assertThat(ready.k0sVersion()).isEqualTo(NEXT);
            assertThat(ready.nodes()).extracting(ReadyNode::kubeletVersion).containsOnly("v1.28.4+k0s");
        });
        assertThat(cluster.host(0).running()).isTrue();
    }

    @Test
    void retiringNodesOfAClusterThatWasNeverReadyIsRefused() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("never", 1, 1);

        BootstrapEvent result = bootstrapper.retire(new NodesRetirementRequested(BootstrapSandbox.header("never", 1, "retire"),
                List.of(cluster.nodes().get(1)), NodesRetirementRequested.RetirementReason.SCALE_IN));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.DRAIN);
            assertThat(failed.message()).contains("no kubeconfig Secret");
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(sandbox.hosts().commands()).isEmpty();
    }

    @Test
    void aDowngradeIsRefusedUnlessAllowed() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("down", 1, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, NEXT, 1))).isInstanceOf(ClusterReady.class);

        BootstrapEvent result = bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 2));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.VALIDATE_HOSTS);
            assertThat(failed.message()).contains("not allowed");
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(cluster.host(0).k0sVersion()).contains(NEXT);
    }

    @Test
    void anUpgradeThatSkipsAMinorVersionIsRefusedBeforeAnythingChanges() {
        // Issue 15 item 6: the gitwatcher refuses such a change; an event that skips one anyway must not reach k0s,
        // which would leave the first upgraded controller without a working API.
        BootstrapSandbox.Cluster cluster = sandbox.cluster("skip", 1, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1))).isInstanceOf(ClusterReady.class);

        BootstrapEvent result = bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, "1.30.1+k0s.0", 2));

        assertThat(result).isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
            assertThat(failed.phase()).isEqualTo(BootstrapPhase.VALIDATE_HOSTS);
            assertThat(failed.message()).contains("skips 1 minor version(s): upgrade to 1.29 first");
            assertThat(failed.retryable()).isFalse();
        });
        assertThat(cluster.host(0).k0sVersion()).contains(BootstrapSandbox.VERSION);
    }

    private static String host(BootstrapSandbox.Cluster cluster, String address) {
        for (int i = 0; i < cluster.hosts().size(); i++) {
            if (cluster.host(i).address().equals(address)) {
                ProvisionedNode node = cluster.nodes().get(i);
                return (node.role() == NodeRole.CONTROLLER ? "c" : "w") + node.slot();
            }
        }
        return address;
    }
}
