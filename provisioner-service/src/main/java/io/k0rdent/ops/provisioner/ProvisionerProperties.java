package io.k0rdent.ops.provisioner;

import io.k0rdent.ops.contracts.topic.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Service-wide settings, bound from {@code k0rdent.provisioner}. */
@ConfigurationProperties("k0rdent.provisioner")
public class ProvisionerProperties {

    private String definitionsTopic = Topics.DEFINITIONS.name();
    private String bootstrapTopic = Topics.BOOTSTRAP.name();
    private String infrastructureTopic = Topics.INFRASTRUCTURE.name();
    private String deadLetterTopic = Topics.DLQ_PROVISIONER.name();
    private String controlTopic = Topics.CONTROL.name();
    private String groupId = "k0rdent-provisioner";
    private String bootstrapServers = "localhost:9092";
    private Duration kafkaTimeout = Duration.ofSeconds(30);
    private int maxRecordAttempts = 5;

    private String defaultRegion = "us-east-1";
    private URI endpoint;
    private String accessKeyId;
    private String secretAccessKey;
    private String retryMode = "standard";
    private int maxAttempts = 10;
    private Duration retryBaseDelay = Duration.ofMillis(100);
    private Duration retryMaxBackoff = Duration.ofSeconds(20);
    private boolean clientRateLimits = true;
    private Duration waiterPollInterval = Duration.ofSeconds(5);
    /** How long after creating a resource an {@code Invalid*.NotFound} naming it means "not visible yet". */
    private Duration eventualConsistencyWindow = Duration.ofMinutes(1);
    private int waiterMaxAttempts = 120;

    private Map<String, String> amis = new HashMap<>();
    private String amiNamePattern = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*";
    private String amiOwner = "099720109477";
    /** No default: every default either exposes SSH and the API or makes a public cluster unreachable. */
    private String adminCidr;
    private int zoneCount = 3;
    private String sshUser = "ubuntu";
    private String sshEndpointTag = "sandbox.k0rdent.io/ssh-endpoint";
    private boolean sshEndpointTagIsAddress = false;

    private int rollingBatchPercent = 10;
    private Duration driftInterval = Duration.ofMinutes(5);
    private boolean driftEnabled = true;
    private boolean removeOrphans = false;

    /** Topic of {@code ClusterDefinitionChanged} events. */
    public String getDefinitionsTopic() {
        return definitionsTopic;
    }

    public void setDefinitionsTopic(String definitionsTopic) {
        this.definitionsTopic = definitionsTopic;
    }

    /** Topic the bootstrap service answers on ({@code NodesDrained}). */
    public String getBootstrapTopic() {
        return bootstrapTopic;
    }

    public void setBootstrapTopic(String bootstrapTopic) {
        this.bootstrapTopic = bootstrapTopic;
    }

    /** Topic of what people ask outside Git: suspend, resume, reconcile. */
    public String getControlTopic() {
        return controlTopic;
    }

    public void setControlTopic(String controlTopic) {
        this.controlTopic = controlTopic;
    }

    public String getInfrastructureTopic() {
        return infrastructureTopic;
    }

    public void setInfrastructureTopic(String infrastructureTopic) {
        this.infrastructureTopic = infrastructureTopic;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Duration getKafkaTimeout() {
        return kafkaTimeout;
    }

    public void setKafkaTimeout(Duration kafkaTimeout) {
        this.kafkaTimeout = kafkaTimeout;
    }

    /** The region of a cluster this process has not seen a definition of since it started. */
    public String getDefaultRegion() {
        return defaultRegion;
    }

    public void setDefaultRegion(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** How often a record whose processing throws is tried before it is dead-lettered. */
    public int getMaxRecordAttempts() {
        return maxRecordAttempts;
    }

    public void setMaxRecordAttempts(int maxRecordAttempts) {
        this.maxRecordAttempts = maxRecordAttempts;
    }

    /** An EC2-compatible endpoint instead of AWS's own (the sandbox emulator); {@code null} for AWS. */
    public URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Static credentials (tests, the sandbox). Without them the SDK's default provider chain is used. */
    public String getAccessKeyId() {
        return accessKeyId;
    }

    public void setAccessKeyId(String accessKeyId) {
        this.accessKeyId = accessKeyId;
    }

    public String getSecretAccessKey() {
        return secretAccessKey;
    }

    public void setSecretAccessKey(String secretAccessKey) {
        this.secretAccessKey = secretAccessKey;
    }

    /** The SDK retry mode: {@code standard} or {@code adaptive} (client-side rate adjustment on throttling). */
    public String getRetryMode() {
        return retryMode;
    }

    public void setRetryMode(String retryMode) {
        this.retryMode = retryMode;
    }

    /** Attempts per API call, including the first; throttling and 5xx are retried, 4xx are not. */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getRetryBaseDelay() {
        return retryBaseDelay;
    }

    public void setRetryBaseDelay(Duration retryBaseDelay) {
        this.retryBaseDelay = retryBaseDelay;
    }

    public Duration getRetryMaxBackoff() {
        return retryMaxBackoff;
    }

    public void setRetryMaxBackoff(Duration retryMaxBackoff) {
        this.retryMaxBackoff = retryMaxBackoff;
    }

    /** Whether calls wait for a token of a client-side bucket sized like EC2's before they are sent. */
    public boolean isClientRateLimits() {
        return clientRateLimits;
    }

    public void setClientRateLimits(boolean clientRateLimits) {
        this.clientRateLimits = clientRateLimits;
    }

    /** Delay between the {@code Ec2Waiter}'s DescribeInstances polls (AWS's own default is 15 s). */
    public Duration getEventualConsistencyWindow() {
        return eventualConsistencyWindow;
    }

    public void setEventualConsistencyWindow(Duration eventualConsistencyWindow) {
        this.eventualConsistencyWindow = eventualConsistencyWindow;
    }

    public Duration getWaiterPollInterval() {
        return waiterPollInterval;
    }

    public void setWaiterPollInterval(Duration waiterPollInterval) {
        this.waiterPollInterval = waiterPollInterval;
    }

    public int getWaiterMaxAttempts() {
        return waiterMaxAttempts;
    }

    public void setWaiterMaxAttempts(int waiterMaxAttempts) {
        this.waiterMaxAttempts = waiterMaxAttempts;
    }

    /** AMI per region; a region without one uses the newest image matching the name pattern and owner. */
    public Map<String, String> getAmis() {
        return amis;
    }

    public void setAmis(Map<String, String> amis) {
        this.amis = amis;
    }

    public String getAmiNamePattern() {
        return amiNamePattern;
    }

    public void setAmiNamePattern(String amiNamePattern) {
        this.amiNamePattern = amiNamePattern;
    }

    public String getAmiOwner() {
        return amiOwner;
    }

    public void setAmiOwner(String amiOwner) {
        this.amiOwner = amiOwner;
    }

    /** The only source allowed to reach SSH (22) and the API (6443) from outside the cluster. */
    /**
     * Where the bootstrap service (SSH, 22) and API clients (6443) connect from; {@code null} when not configured.
     */
    public String getAdminCidr() {
        return adminCidr;
    }

    /**
     * The configured {@link #getAdminCidr() admin CIDR}; fails, naming the setting, when there is none or it is not
     * an IPv4 block.
     */
    public String requireAdminCidr() {
        if (adminCidr == null || adminCidr.isBlank()) {
            throw new IllegalStateException("k0rdent.provisioner.admin-cidr is not set: name the IPv4 block the "
                    + "bootstrap service and kubectl connect from (SSH and the Kubernetes API are open only to it); "
                    + "there is no default, since any default either exposes them or makes public clusters "
                    + "unreachable");
        }
        if (!adminCidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalStateException("k0rdent.provisioner.admin-cidr '" + adminCidr + "' is not an IPv4 "
                    + "block such as 203.0.113.0/24");
        }
        return adminCidr;
    }

    public void setAdminCidr(String adminCidr) {
        this.adminCidr = adminCidr;
    }

    /** How many availability zones subnets are spread over (at least two are always used). */
    public int getZoneCount() {
        return zoneCount;
    }

    public void setZoneCount(int zoneCount) {
        this.zoneCount = zoneCount;
    }

    public String getSshUser() {
        return sshUser;
    }

    public void setSshUser(String sshUser) {
        this.sshUser = sshUser;
    }

    /** An instance tag holding {@code host:port} that overrides the SSH endpoint (set by the sandbox emulator). */
    public String getSshEndpointTag() {
        return sshEndpointTag;
    }

    public void setSshEndpointTag(String sshEndpointTag) {
        this.sshEndpointTag = sshEndpointTag;
    }

    /**
     * Sandbox only, never on AWS: the endpoint tag's host is also the node's public address. The sandbox's EC2
     * emulator hands out unroutable public addresses, while the simulated host behind the tag serves the node's
     * Kubernetes API, which the bootstrap service reaches at the public address.
     */
    public boolean isSshEndpointTagIsAddress() {
        return sshEndpointTagIsAddress;
    }

    public void setSshEndpointTagIsAddress(boolean sshEndpointTagIsAddress) {
        this.sshEndpointTagIsAddress = sshEndpointTagIsAddress;
    }

    /**
     * Share of the workers replaced at a time when their instance type changes (at least one), like k0sctl's worker
     * batches: the next batch starts when the previous one is drained.
     */
    public int getRollingBatchPercent() {
        return rollingBatchPercent;
    }

    public void setRollingBatchPercent(int rollingBatchPercent) {
        this.rollingBatchPercent = rollingBatchPercent;
    }

    public Duration getDriftInterval() {
        return driftInterval;
    }

    public void setDriftInterval(Duration driftInterval) {
        this.driftInterval = driftInterval;
    }

    public boolean isDriftEnabled() {
        return driftEnabled;
    }

    public void setDriftEnabled(boolean driftEnabled) {
        this.driftEnabled = driftEnabled;
    }

    /** Whether resources of clusters that no longer exist are deleted (otherwise only reported). */
    public boolean isRemoveOrphans() {
        return removeOrphans;
    }

    public void setRemoveOrphans(boolean removeOrphans) {
        this.removeOrphans = removeOrphans;
    }
}
