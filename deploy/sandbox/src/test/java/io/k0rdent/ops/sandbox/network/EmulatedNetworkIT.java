package io.k0rdent.ops.sandbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.Transitions;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
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
        hosts = SimulatedHosts.start(SimulatedHosts.Options.authorizing(key.getPublic()));
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests().withTransitions(Transitions.after(Duration.ZERO))
                .withSshEndpointHook(instance -> hosts.addHost(instance.instanceId(), "ubuntu")
                        .privateAddress(instance.privateIpAddress()).address() + ":" + hosts.port()));
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
        try (ClientSession session = client.connect(host.user(), host.address(), hosts.port()).verify(TIMEOUT)
                .getSession()) {
            session.addPublicKeyIdentity(key);
            session.auth().verify(TIMEOUT);
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

        assertThat(login(node)).as("no rule admits SSH from the operator").isFalse();

        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(IpRange.builder().cidrIp("127.0.0.1/32").build())
                .build()));
        assertThat(login(node)).isTrue();

        ec2.disassociateRouteTable(r -> r.associationId(ec2.describeRouteTables(d -> d.routeTableIds(table))
                .routeTables().get(0).associations().get(0).routeTableAssociationId()));
        assertThat(login(node)).as("the main route table has no way back to the operator").isFalse();
    }
}
