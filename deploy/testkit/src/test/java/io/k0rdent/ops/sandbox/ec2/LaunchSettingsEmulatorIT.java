package io.k0rdent.ops.sandbox.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * The twin keeps what RunInstances says about metadata, the root volume, the instance profile and the tags of the
 * volume and interface, with EC2's rules: only a mapping for the image's root device resizes the root volume, and a
 * root smaller than the image's snapshot is refused.
 */
class LaunchSettingsEmulatorIT {

    private Ec2Emulator emulator;
    private Ec2Client ec2;
    private String subnet;

    @BeforeEach
    void start() {
        start(Ec2EmulatorOptions.forTests());
    }

    private void start(Ec2EmulatorOptions options) {
        emulator = Ec2Emulator.start(options);
        ec2 = EmulatorClients.ec2(emulator, 1);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.4.0.0/16")).vpc().vpcId();
        subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.4.0.0/24")).subnet().subnetId();
    }

    @AfterEach
    void stop() {
        ec2.close();
        emulator.close();
    }

    private RunInstancesRequest.Builder launch() {
        return RunInstancesRequest.builder().imageId(ImageSpec.defaults().get(0).imageId()).instanceType("t3.large")
                .subnetId(subnet).minCount(1).maxCount(1);
    }

    private Instance describe(String id) {
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private Volume rootVolume(String instanceId) {
        return ec2.describeVolumes(r -> r.filters(f -> f.name("attachment.instance-id").values(instanceId)))
                .volumes().get(0);
    }

    @Test
    void imdsV2AnEncryptedGp3RootAProfileAndTagsAreKept() {
        String id = ec2.runInstances(launch()
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/sda1")
                        .ebs(e -> e.volumeSize(40).volumeType(VolumeType.GP3).encrypted(true)).build())
                .iamInstanceProfile(p -> p.name("k0s-nodes"))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME)
                                .tags(t -> t.key("k0rdent.io/cluster").value("c")).build(),
                        TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE)
                                .tags(t -> t.key("k0rdent.io/cluster").value("c")).build())
                .build()).instances().get(0).instanceId();

        Instance instance = describe(id);
        assertThat(instance.metadataOptions().httpTokens()).isEqualTo(HttpTokensState.REQUIRED);
        assertThat(instance.iamInstanceProfile().arn()).endsWith(":instance-profile/k0s-nodes");
        Volume root = rootVolume(id);
        assertThat(root.size()).isEqualTo(40);
        assertThat(root.volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(root.encrypted()).isTrue();
        assertThat(root.tags()).anySatisfy(t -> assertThat(t.key()).isEqualTo("k0rdent.io/cluster"));
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(f -> f.name("tag:k0rdent.io/cluster").values("c")))
                .networkInterfaces()).singleElement()
                .satisfies(eni -> assertThat(eni.attachment().instanceId()).isEqualTo(id));
    }

    @Test
    void aMappingForAnotherDeviceLeavesTheRootAtTheImagesDefaults() {
        String id = ec2.runInstances(launch()
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/xvda")
                        .ebs(e -> e.volumeSize(40).volumeType(VolumeType.GP3).encrypted(true)).build())
                .build()).instances().get(0).instanceId();

        Volume root = rootVolume(id);
        assertThat(root.size()).isEqualTo(8);
        assertThat(root.volumeType()).isEqualTo(VolumeType.GP2);
        assertThat(root.encrypted()).isFalse();
        assertThat(describe(id).metadataOptions().httpTokens()).isEqualTo(HttpTokensState.OPTIONAL);
    }

    @Test
    void aRootSmallerThanTheSnapshotIsRefused() {
        assertThatThrownBy(() -> ec2.runInstances(launch()
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/sda1")
                        .ebs(e -> e.volumeSize(4)).build()).build()))
                .isInstanceOfSatisfying(Ec2Exception.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBlockDeviceMapping"));
    }

    @Test
    void launchSettingsSurviveARestart(@TempDir Path dir) {
        stop();
        start(Ec2EmulatorOptions.forTests().withStateFile(dir.resolve("ec2.json")));
        String id = ec2.runInstances(launch().metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)).build())
                .instances().get(0).instanceId();
        stop();
        emulator = Ec2Emulator.start(Ec2EmulatorOptions.forTests().withStateFile(dir.resolve("ec2.json")));
        ec2 = EmulatorClients.ec2(emulator, 1);

        assertThat(describe(id).metadataOptions().httpTokens()).isEqualTo(HttpTokensState.REQUIRED);
    }
}
