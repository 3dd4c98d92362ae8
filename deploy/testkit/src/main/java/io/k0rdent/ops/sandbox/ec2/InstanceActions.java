package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.DEFAULT_PAGE;
import static io.k0rdent.ops.sandbox.ec2.Describes.byIds;
import static io.k0rdent.ops.sandbox.ec2.Describes.find;
import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InstanceState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Reservation;
import io.k0rdent.ops.sandbox.ec2.Ec2State.SecurityGroup;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Instances and their root volumes: RunInstances (with ClientToken idempotency), Describe/Terminate/StopInstances,
 * DescribeVolumes, and the pending/shutting-down/stopping transitions that {@link Ec2EmulatorOptions} time.
 */
final class InstanceActions {

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;
    private final Ec2EmulatorOptions options;
    private final Clock clock;
    private final ZoneActions zones;
    private final Function<String, String> newId;
    private final Supplier<String> nextPublicAddress;

    InstanceActions(Ec2State state, Ec2EmulatorOptions options, Clock clock, ZoneActions zones,
                    Function<String, String> newId, Supplier<String> nextPublicAddress) {
        this.state = state;
        this.options = options;
        this.clock = clock;
        this.zones = zones;
        this.newId = newId;
        this.nextPublicAddress = nextPublicAddress;
    }

    void runInstances(QueryRequest request, XmlOut out, List<String> created) {
        String token = request.get("ClientToken");
        if (token != null && (token.length() > 64 || !token.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw Ec2Error.client("InvalidParameterValue", "Value (" + token
                    + ") for parameter clientToken is invalid. The client token must be at most 64 ASCII characters.");
        }
        String fingerprint = fingerprint(request);
        if (token != null && state.reservationsByToken.containsKey(token)) {
            Reservation previous = state.reservationsByToken.get(token);
            if (!previous.fingerprint().equals(fingerprint)) {
                throw Ec2Error.client("IdempotentParameterMismatch", "The client token you have provided is "
                        + "associated with a resource that is already deleted or has different parameters.");
            }
            // Same token, same parameters: the same instances again, in their current state; nothing is launched.
            writeReservation(out, previous, previous.instanceIds().stream().map(state.instances::get).toList());
            return;
        }
        String imageId = request.required("ImageId");
        if (options.images().stream().noneMatch(i -> i.imageId().equals(imageId))) {
            throw Ec2Error.client("InvalidAMIID.NotFound", "The image id '[" + imageId + "]' does not exist");
        }
        String keyName = request.get("KeyName");
        if (keyName != null && !options.keyPairs().contains(keyName)) {
            throw Ec2Error.client("InvalidKeyPair.NotFound", "The key pair '" + keyName + "' does not exist");
        }
        int minCount = request.intValue("MinCount", 0);
        int maxCount = request.intValue("MaxCount", 0);
        if (minCount < 1 || maxCount < minCount) {
            throw Ec2Error.client("InvalidParameterValue", "MinCount must be >= 1 and MaxCount >= MinCount");
        }
        String subnetId = request.get("SubnetId") != null ? request.get("SubnetId")
                : request.get("NetworkInterface.1.SubnetId");
        if (subnetId == null) {
            throw Ec2Error.client("MissingParameter", "No subnet given (this emulator has no default VPC)");
        }
        Subnet subnet = find(state.subnets, subnetId, "InvalidSubnetID.NotFound");
        zones.requireOffered(subnet.availabilityZone,
                request.get("InstanceType") == null ? "m1.small" : request.get("InstanceType"));
        List<String> groupIds = new ArrayList<>(request.list("SecurityGroupId"));
        groupIds.addAll(request.list("NetworkInterface.1.SecurityGroupId"));
        for (String groupId : groupIds) {
            SecurityGroup group = find(state.securityGroups, groupId, "InvalidGroup.NotFound");
            if (!group.vpcId.equals(subnet.vpcId)) {
                throw Ec2Error.client("InvalidParameter", "Security group " + groupId + " and subnet " + subnetId
                        + " belong to different networks.");
            }
        }
        if (groupIds.isEmpty()) {
            groupIds.add(state.vpcs.get(subnet.vpcId).defaultSecurityGroupId);
        }
        String zone = request.get("Placement.AvailabilityZone");
        if (zone != null && !zone.equals(subnet.availabilityZone)) {
            throw Ec2Error.client("InvalidParameterValue", "The subnet " + subnetId + " is in "
                    + subnet.availabilityZone + ", not in " + zone);
        }
        String associatePublic = request.get("NetworkInterface.1.AssociatePublicIpAddress");
        boolean publicIp = associatePublic != null ? Boolean.parseBoolean(associatePublic)
                : subnet.mapPublicIpOnLaunch;
        if (subnet.nextHost + maxCount > subnet.cidr.size() - 1) {
            throw Ec2Error.client("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in "
                    + "subnet '" + subnetId + "' to satisfy the requested number of instances.");
        }
        Map<String, String> tags = request.tagSpecifications("instance");
        List<LaunchSettings> launch = new ArrayList<>();
        for (int index = 0; index < maxCount; index++) {
            launch.add(LaunchSettings.of(request, newId.apply("vol")));
        }
        String reservationId = newId.apply("r");
        Instant now = clock.instant();
        List<Instance> launched = new ArrayList<>();
        for (int index = 0; index < maxCount; index++) {
            Instance instance = new Instance(newId.apply("i"), reservationId, imageId,
                    request.get("InstanceType") == null ? "m1.small" : request.get("InstanceType"),
                    request.get("KeyName"), subnet.id, subnet.vpcId, subnet.availabilityZone,
                    subnet.cidr.address(subnet.nextHost++), publicIp ? nextPublicAddress.get() : null, groupIds, token,
                    index, now);
            instance.tags.putAll(tags);
            instance.launch = launch.get(index);
            String endpoint = options.sshEndpointHook().endpointFor(new SshEndpointHook.LaunchedInstance(
                    instance.id, instance.availabilityZone, instance.privateIpAddress, instance.publicIpAddress,
                    Map.copyOf(instance.tags), instance.launch.userData()));
            if (endpoint != null) {
                instance.tags.put(options.sshEndpointTag(), endpoint);
            }
            state.instances.put(instance.id, instance);
            launched.add(instance);
            created.add(instance.id);
        }
        Reservation reservation = new Reservation(reservationId, token, fingerprint,
                launched.stream().map(i -> i.id).toList(), groupIds);
        state.reservations.put(reservationId, reservation);
        if (token != null) {
            state.reservationsByToken.put(token, reservation);
        }
        writeReservation(out, reservation, launched);
    }

    private static String fingerprint(QueryRequest request) {
        return new TreeMap<>(request.all()).entrySet().stream()
                .filter(e -> !e.getKey().equals("ClientToken"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    private void writeReservation(XmlOut out, Reservation reservation, List<Instance> instances) {
        out.text("reservationId", reservation.id()).text("ownerId", OWNER_ID).start("groupSet").end()
                .start("instancesSet");
        instances.forEach(instance -> writeInstance(out, instance));
        out.end();
    }

    void describeInstances(QueryRequest request, XmlOut out) {
        List<Ec2Filter> filters = request.filters();
        List<String> requestedIds = request.list("InstanceId");
        int maxResults = request.intValue("MaxResults", DEFAULT_PAGE);
        if (request.get("MaxResults") != null && (maxResults < 5 || maxResults > 1000)) {
            throw Ec2Error.client("InvalidParameterValue", "Value ( " + maxResults
                    + " ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        }
        List<Instance> candidates = byIds(state.instances, requestedIds, "InvalidInstanceID.NotFound");
        // The waiters poll DescribeInstances, so this is where call-count-based transitions advance.
        Instant now = clock.instant();
        for (Instance instance : candidates) {
            advance(instance, now);
        }
        List<Instance> selected = select(candidates, filters, (instance, name) -> switch (name) {
            case "instance-id" -> List.of(instance.id);
            case "instance-state-name" -> List.of(instance.state.apiName);
            case "instance-state-code" -> List.of(String.valueOf(instance.state.code));
            case "instance-type" -> List.of(instance.instanceType);
            case "vpc-id" -> List.of(instance.vpcId);
            case "subnet-id" -> List.of(instance.subnetId);
            case "availability-zone" -> List.of(instance.availabilityZone);
            case "image-id" -> List.of(instance.imageId);
            case "key-name" -> instance.keyName == null ? List.of() : List.of(instance.keyName);
            case "client-token" -> instance.clientToken == null ? List.of() : List.of(instance.clientToken);
            case "reservation-id" -> List.of(instance.reservationId);
            case "private-ip-address" -> List.of(instance.privateIpAddress);
            case "ip-address" -> instance.publicIpAddress == null ? List.of() : List.of(instance.publicIpAddress);
            case "instance.group-id", "group-id" -> instance.securityGroupIds;
            default -> tagValues(instance.tags, name);
        });
        for (Instance instance : selected) {
            instance.observationsInState++;
        }
        Describes.Page<Instance> page = page(selected, request.get("NextToken"), maxResults);
        Map<String, List<Instance>> byReservation = new LinkedHashMap<>();
        page.items().forEach(i -> byReservation.computeIfAbsent(i.reservationId, r -> new ArrayList<>()).add(i));
        out.start("reservationSet");
        byReservation.forEach((reservationId, instances) -> {
            out.start("item");
            writeReservation(out, state.reservations.get(reservationId), instances);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private void writeInstance(XmlOut out, Instance instance) {
        out.start("item").text("instanceId", instance.id).text("imageId", instance.imageId)
                .start("instanceState").text("code", instance.state.code).text("name", instance.state.apiName).end()
                .text("privateDnsName", "ip-" + instance.privateIpAddress.replace('.', '-') + ".ec2.internal")
                .text("dnsName", instance.publicIpAddress == null ? null
                        : "ec2-" + instance.publicIpAddress.replace('.', '-') + ".compute-1.amazonaws.com")
                .text("keyName", instance.keyName).text("amiLaunchIndex", instance.launchIndex)
                .text("instanceType", instance.instanceType).text("launchTime", instance.launchTime.toString())
                .start("placement").text("availabilityZone", instance.availabilityZone).text("tenancy", "default")
                .end()
                .start("monitoring").text("state", "disabled").end()
                .text("subnetId", instance.subnetId).text("vpcId", instance.vpcId)
                .text("privateIpAddress", instance.privateIpAddress).text("ipAddress", instance.publicIpAddress)
                .start("groupSet");
        for (String groupId : instance.securityGroupIds) {
            SecurityGroup group = state.securityGroups.get(groupId);
            out.start("item").text("groupId", groupId).text("groupName", group == null ? null : group.name).end();
        }
        out.end().text("architecture", "x86_64").text("rootDeviceType", "ebs").text("rootDeviceName", "/dev/sda1")
                .text("virtualizationType", "hvm").text("clientToken", instance.clientToken);
        if (instance.launch != null) {
            LaunchSettings.Volume root = instance.launch.rootVolume();
            out.start("blockDeviceMapping").start("item").text("deviceName", root.device()).start("ebs")
                    .text("volumeId", root.id()).text("status", "attached")
                    .text("deleteOnTermination", root.deleteOnTermination()).end().end().end()
                    .start("metadataOptions").text("state", "applied")
                    .text("httpTokens", instance.launch.httpTokens()).text("httpPutResponseHopLimit",
                            instance.launch.hopLimit() == null ? 1 : instance.launch.hopLimit())
                    .text("httpEndpoint", "enabled").end();
            if (instance.launch.instanceProfile() != null) {
                String profile = instance.launch.instanceProfile();
                out.start("iamInstanceProfile").text("arn", profile.startsWith("arn:") ? profile
                        : "arn:aws:iam::" + OWNER_ID + ":instance-profile/" + profile).end();
            }
        }
        out.tagSet(instance.tags).text("hypervisor", "xen").end();
    }

    void terminateInstances(QueryRequest request, XmlOut out) {
        List<String> requested = request.list("InstanceId");
        if (requested.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter InstanceId");
        }
        List<Instance> instances = byIds(state.instances, requested, "InvalidInstanceID.NotFound");
        Instant now = clock.instant();
        out.start("instancesSet");
        for (Instance instance : instances) {
            advance(instance, now);
            InstanceState previous = instance.state;
            if (instance.state != InstanceState.TERMINATED && instance.state != InstanceState.SHUTTING_DOWN) {
                instance.enter(InstanceState.SHUTTING_DOWN, now);
            }
            out.start("item").text("instanceId", instance.id)
                    .start("currentState").text("code", instance.state.code).text("name", instance.state.apiName)
                    .end()
                    .start("previousState").text("code", previous.code).text("name", previous.apiName).end()
                    .end();
        }
        out.end();
    }

    /**
     * Pending or running instances go {@code stopping}, then {@code stopped} after the shutting-down transition;
     * a stopped instance keeps its interface, volume and tags (AWS, "Stop and start Amazon EC2 instances").
     */
    void stopInstances(QueryRequest request, XmlOut out) {
        List<String> requested = request.list("InstanceId");
        if (requested.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter InstanceId");
        }
        List<Instance> instances = byIds(state.instances, requested, "InvalidInstanceID.NotFound");
        Instant now = clock.instant();
        for (Instance instance : instances) {
            advance(instance, now);
            if (instance.state == InstanceState.TERMINATED || instance.state == InstanceState.SHUTTING_DOWN) {
                throw Ec2Error.client("IncorrectInstanceState", "This instance '" + instance.id
                        + "' is not in a state from which it can be stopped.");
            }
        }
        out.start("instancesSet");
        for (Instance instance : instances) {
            InstanceState previous = instance.state;
            if (instance.state == InstanceState.PENDING || instance.state == InstanceState.RUNNING) {
                instance.enter(InstanceState.STOPPING, now);
            }
            out.start("item").text("instanceId", instance.id)
                    .start("currentState").text("code", instance.state.code).text("name", instance.state.apiName)
                    .end()
                    .start("previousState").text("code", previous.code).text("name", previous.apiName).end()
                    .end();
        }
        out.end();
    }

    /** Moves a transient state on when its call count or time is reached. */
    private void advance(Instance instance, Instant now) {
        Transitions rule = switch (instance.state) {
            case PENDING -> options.pending();
            case SHUTTING_DOWN, STOPPING -> options.shuttingDown();
            default -> null;
        };
        if (rule == null) {
            return;
        }
        if (rule.due(instance.observationsInState, instance.stateSince, now)) {
            instance.enter(switch (instance.state) {
                case PENDING -> InstanceState.RUNNING;
                case STOPPING -> InstanceState.STOPPED;
                default -> InstanceState.TERMINATED;
            }, now);
        }
    }

    /** Dependency checks see time-based transitions that happened since the last call. */
    void refreshAll() {
        Instant now = clock.instant();
        state.instances.values().forEach(instance -> {
            Transitions rule = instance.state == InstanceState.PENDING ? options.pending()
                    : instance.state == InstanceState.SHUTTING_DOWN ? options.shuttingDown() : null;
            if (rule != null && rule.elapsed(instance.stateSince, now)) {
                advance(instance, now);
            }
        });
    }

    /**
     * The root volumes of live instances (and of terminated ones whose volume was kept), with size, type, encryption
     * and the tags given at launch; filters {@code attachment.instance-id}, {@code volume-id} and tags.
     */
    void describeVolumes(QueryRequest request, XmlOut out) {
        record Attached(Instance instance, LaunchSettings.Volume volume) {
        }
        List<Attached> all = state.instances.values().stream().filter(i -> i.launch != null)
                .filter(i -> i.isAlive() || !i.launch.rootVolume().deleteOnTermination())
                .map(i -> new Attached(i, i.launch.rootVolume())).toList();
        List<Attached> selected = select(all, request.filters(), (a, name) -> switch (name) {
            case "attachment.instance-id" -> List.of(a.instance().id);
            case "volume-id" -> List.of(a.volume().id());
            case "volume-type" -> List.of(a.volume().type());
            case "encrypted" -> List.of(String.valueOf(a.volume().encrypted()));
            default -> tagValues(a.instance().launch.volumeTags(), name);
        });
        Describes.Page<Attached> page = page(selected, request);
        out.start("volumeSet");
        page.items().forEach(a -> out.start("item").text("volumeId", a.volume().id())
                .text("size", a.volume().sizeGib()).text("availabilityZone", a.instance().availabilityZone)
                .text("status", a.instance().isAlive() ? "in-use" : "available")
                .text("volumeType", a.volume().type()).text("encrypted", a.volume().encrypted())
                .start("attachmentSet").start("item").text("volumeId", a.volume().id())
                .text("instanceId", a.instance().id).text("device", a.volume().device()).text("status", "attached")
                .text("deleteOnTermination", a.volume().deleteOnTermination()).end().end()
                .tagSet(a.instance().launch.volumeTags()).end());
        out.end().text("nextToken", page.nextToken());
    }
}
