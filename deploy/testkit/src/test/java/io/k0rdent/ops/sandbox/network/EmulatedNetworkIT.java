package io.k0rdent.ops.sandbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.Transitions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.HostsOptions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;

/**
 * Simulated hosts behind the EC2 twin's network, as {@code k0ops up} runs them: the operator's SSH reaches a node only
 * when its routes and security groups would let it on AWS.
 */
class EmulatedNetworkIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A dropped flow never answers: two seconds of silence say as much as ten. */
    private static final Duration SILENCE = Duration.ofSeconds(2);

    private KeyPair key;
    private SimulatedHosts hosts;
    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private SshClient client;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
        hosts = SimulatedHosts.start(HostsOptions.authorizing(key.getPublic()));
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests().withTransitions(Transitions.after(Duration.ZERO))
                .withSshEndpointHook(instance -> hosts.addHost(instance.instanceId(), "ubuntu")
                        .privateAddress(instance.privateIpAddress()).address() + ":" + hosts.port())
                // As k0ops up names load balancers: an address of their own that clients on this machine can dial.
                .withLoadBalancerDns((name, id, region) -> hosts.reserveAddress()));
        hosts.connectThrough(new EmulatedNetwork(emulator, hosts, "127.0.0.1"));
        ec2 = Ec2Client.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t"))).build();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, remote, serverKey) -> true);
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        ec2.close();
        emulator.close();
        hosts.close();
    }

    private boolean login(SimulatedHost host) {
        return login(host, TIMEOUT);
    }

    /** Whether a login gets through within {@link #SILENCE}: for flows the network should drop. */
    private boolean loginAnswered(SimulatedHost host) {
        return login(host, SILENCE);
    }

    private boolean login(SimulatedHost host, Duration timeout) {
        try (ClientSession session = client.connect(host.user(), host.address(), hosts.port()).verify(timeout)
                .getSession()) {
            session.addPublicKeyIdentity(key);
            session.auth().verify(timeout);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void sshArrivesOnlyWhenTheNodesSecurityGroupAndRouteAdmitTheOperator() {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String table = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("nodes").description("nodes")).groupId();
        String id = ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large").minCount(1)
                .maxCount(1).keyName("k0rdent").networkInterfaces(n -> n.deviceIndex(0).subnetId(subnet)
                        .associatePublicIpAddress(true).groups(group))).instances().get(0).instanceId();
        ec2.describeInstances(r -> r.instanceIds(id));
        SimulatedHost node = hosts.hosts().stream().filter(h -> h.hostname().equals(id)).findFirst().orElseThrow();

        assertThat(loginAnswered(node)).as("no rule admits SSH from the operator").isFalse();

        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(IpRange.builder().cidrIp("127.0.0.1/32").build())
                .build()));
        assertThat(login(node)).isTrue();

        ec2.disassociateRouteTable(r -> r.associationId(ec2.describeRouteTables(d -> d.routeTableIds(table))
                .routeTables().get(0).associations().get(0).routeTableAssociationId()));
        assertThat(loginAnswered(node)).as("the main route table has no way back to the operator").isFalse();
    }

    private String[] run(SimulatedHost host, String line, String stdin) throws Exception {
        try (ClientSession session = client.connect(host.user(), host.address(), hosts.port()).verify(TIMEOUT)
                .getSession()) {
            session.addPublicKeyIdentity(key);
            session.auth().verify(TIMEOUT);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            try (org.apache.sshd.client.channel.ChannelExec channel = session.createExecChannel(line)) {
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(TIMEOUT);
                try (java.io.OutputStream in = channel.getInvertedIn()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED),
                        TIMEOUT.toMillis());
                return new String[] {String.valueOf(channel.getExitStatus()),
                    out.toString(java.nio.charset.StandardCharsets.UTF_8),
                    err.toString(java.nio.charset.StandardCharsets.UTF_8)};
            }
        }
    }

    private SimulatedHost launch(String subnet, boolean publicIp, String... groups) {
        String id = ec2.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.large").minCount(1)
                .maxCount(1).keyName("k0rdent").networkInterfaces(n -> n.deviceIndex(0).subnetId(subnet)
                        .associatePublicIpAddress(publicIp).groups(groups))).instances().get(0).instanceId();
        ec2.describeInstances(r -> r.instanceIds(id));
        return hosts.hosts().stream().filter(h -> h.hostname().equals(id)).findFirst().orElseThrow();
    }

    private void allow(String group, String protocol, int port, String cidr) {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol(protocol).fromPort(port).toPort(port).ipRanges(IpRange.builder().cidrIp(cidr).build())
                .build()));
    }

    private static final String DOWNLOAD = "sudo -n curl -sSfL -o /usr/local/bin/k0s "
            + "https://github.com/k0sproject/k0s/releases/download/v1.28.3+k0s.0/k0s-v1.28.3+k0s.0-amd64";

    @Test
    void aNodeDownloadsOnlyWithAWayOutAndJoinsOnlyWhatItsSecurityGroupsLetThrough() throws Exception {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String table = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("nodes").description("nodes")).groupId();
        allow(group, "tcp", 22, "127.0.0.1/32");
        SimulatedHost controller = launch(subnet, true, group);
        SimulatedHost worker = launch(subnet, true, group);
        // No route out yet: the subnet's table has the local route only.
        assertThat(loginAnswered(controller)).as("SSH to a public address needs the way back too").isFalse();
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));

        String config = "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  api:\n    address: "
                + controllerPrivate(controller) + "\n  storage:\n    etcd:\n      peerAddress: "
                + controllerPrivate(controller) + "\n";
        SimulatedHost noAddress = launch(subnet, false, group);
        String[] timedOut = run(noAddress, DOWNLOAD, null);
        assertThat(timedOut[0]).as("an internet gateway route without a public address is no way out").isEqualTo("28");
        assertThat(timedOut[2]).contains("Connection timed out");
        assertThat(run(controller, DOWNLOAD, null)[0]).isEqualTo("0");
        assertThat(run(controller, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml", config)[0]).isEqualTo("0");
        assertThat(run(controller, "sudo -n k0s install controller --config /etc/k0s/k0s.yaml", null)[0]).isEqualTo("0");
        assertThat(run(controller, "sudo -n k0s start", null)[0]).isEqualTo("0");
        String token = run(controller, "sudo -n k0s token create --role=worker --expiry=1h", null)[1];

        assertThat(run(worker, DOWNLOAD, null)[0]).isEqualTo("0");
        assertThat(run(worker, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/join-token", token)[0]).isEqualTo("0");
        assertThat(run(worker, "sudo -n k0s install worker --token-file /etc/k0s/join-token", null)[0]).isEqualTo("0");
        assertThat(run(worker, "sudo -n k0s start", null)[0]).isEqualTo("0");
        assertThat(worker.joinWaitingFor()).as("nothing admits 6443 from the worker").get().asString()
                .contains(":6443 unreachable").contains("no security group");

        allow(group, "tcp", 6443, "10.0.0.0/16");
        allow(group, "tcp", 8132, "10.0.0.0/16");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> worker.joinWaitingFor().isEmpty());
        assertThat(controller.cluster().orElseThrow().client().nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName()).contains(worker.hostname());
    }

    @Test
    void theForwarderReachesAControllerOnlyByANameItsServingCertificateCovers() throws Exception {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String table = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("nodes").description("nodes")).groupId();
        allow(group, "tcp", 22, "127.0.0.1/32");
        allow(group, "tcp", 6443, "127.0.0.1/32");
        SimulatedHost controller = launch(subnet, true, group);
        String own = controllerPrivate(controller);
        try (software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elb =
                     software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder()
                             .endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                             .build();
             LoadBalancerForwarder forwarder = LoadBalancerForwarder.start(emulator, hosts, "127.0.0.1",
                     Duration.ofMillis(100))) {
            String lb = elb.createLoadBalancer(r -> r.name("k0-dev-api").type("network").subnets(subnet))
                    .loadBalancers().get(0).loadBalancerArn();
            String dns = elb.describeLoadBalancers(r -> r.loadBalancerArns(lb)).loadBalancers().get(0).dnsName();
            String targets = elb.createTargetGroup(r -> r.name("k0-dev-6443").protocol("TCP").port(6443).vpcId(vpc))
                    .targetGroups().get(0).targetGroupArn();
            elb.createListener(r -> r.loadBalancerArn(lb).protocol("TCP").port(6443).defaultActions(a -> a
                    .type("forward").targetGroupArn(targets)));
            elb.registerTargets(r -> r.targetGroupArn(targets).targets(t -> t.id(controller.hostname())));
            org.awaitility.Awaitility.await().atMost(TIMEOUT)
                    .until(() -> forwarder.listening().contains(dns + ":6443"));

            String withoutTheLoadBalancer = "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n"
                    + "  api:\n    address: " + own + "\n    sans:\n    - " + own + "\n";
            assertThat(run(controller, DOWNLOAD, null)[0]).isEqualTo("0");
            assertThat(run(controller, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml",
                    withoutTheLoadBalancer)[0]).isEqualTo("0");
            assertThat(run(controller, "sudo -n k0s install controller --config /etc/k0s/k0s.yaml", null)[0])
                    .isEqualTo("0");
            assertThat(run(controller, "sudo -n k0s start", null)[0]).isEqualTo("0");
            assertThat(hosts.apiCertificateNames(controller.hostname())).contains(own, controller.address(),
                    "localhost", "127.0.0.1", "kubernetes.default.svc", "10.96.0.1").doesNotContain(dns);
            assertThat(apiAnswers(dns)).as("x509: certificate is valid for ..., not " + dns).isFalse();

            String withTheLoadBalancer = "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n"
                    + "  api:\n    address: " + own + "\n    externalAddress: " + dns + "\n    sans:\n    - " + dns
                    + "\n    - " + own + "\n";
            assertThat(run(controller, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml",
                    withTheLoadBalancer)[0]).isEqualTo("0");
            assertThat(apiAnswers(dns)).as("the certificate is issued when k0s starts, not when the file changes")
                    .isFalse();
            assertThat(run(controller, "sudo -n k0s stop", null)[0]).isEqualTo("0");
            assertThat(run(controller, "sudo -n k0s start", null)[0]).isEqualTo("0");
            assertThat(apiAnswers(dns)).isTrue();
        }
    }

    /** Whether a request to the Kubernetes API through the load balancer's name is answered. */
    private static boolean apiAnswers(String loadBalancer) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + loadBalancer
                                    + ":6443/api/v1/namespaces")).timeout(TIMEOUT).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String controllerPrivate(SimulatedHost host) {
        return ec2.describeInstances(r -> r.instanceIds(host.hostname())).reservations().get(0).instances().get(0)
                .privateIpAddress();
    }
}
