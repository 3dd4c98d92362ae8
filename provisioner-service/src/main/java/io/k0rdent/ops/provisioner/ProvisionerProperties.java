package io.k0rdent.ops.provisioner;

import io.k0rdent.ops.support.Secret;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Service-wide settings, bound from {@code k0rdent.provisioner} (keys as before: {@code definitions-topic},
 * {@code max-attempts}, ...). How nodes are launched is {@link InstanceSettings}, the host-key seed
 * {@code hostkey.HostKeySettings}, automatic retries the shared {@code FailureRetrySettings}.
 *
 * @param definitionsTopic          topic of {@code ClusterDefinitionChanged} events
 * @param bootstrapTopic            topic the bootstrap service answers on ({@code NodesDrained})
 * @param controlTopic              topic of what people ask outside Git: suspend, resume, reconcile
 * @param consumerThreads           consumer threads of the definitions listener
 * @param defaultRegion             the region of a cluster this process has not seen a definition of since it started
 * @param maxRecordAttempts         how often a record whose processing throws is tried before it is dead-lettered
 * @param endpoint                  an EC2-compatible endpoint instead of AWS's own (the sandbox emulator); {@code null}
 *                                  for AWS
 * @param accessKeyId               static credentials (tests, the sandbox) with {@code secretAccessKey}; without them
 *                                  the SDK's default provider chain is used
 * @param secretAccessKey           a secret: never printed ({@link Secret})
 * @param retryMode                 the SDK retry mode: {@code standard} or {@code adaptive} (client-side rate adjustment
 *                                  on throttling)
 * @param maxAttempts               attempts per API call, including the first; throttling and 5xx are retried, 4xx not
 * @param clientRateLimits          whether calls wait for a token of a client-side bucket sized like EC2's before they
 *                                  are sent
 * @param ec2RateShare              how many provisioner replicas call EC2 for the same account: each paces itself to
 *                                  this share of EC2's per-account buckets (set it to the Deployment's replica count)
 * @param waiterPollInterval        delay between the {@code Ec2Waiter}'s DescribeInstances polls (AWS's own default is
 *                                  15 s)
 * @param eventualConsistencyWindow how long after creating a resource an {@code Invalid*.NotFound} naming it means
 *                                  "not visible yet"
 * @param amis                      AMI per region; a region without one uses the newest image matching the name
 *                                  pattern and owner
 * @param adminCidr                 where the bootstrap service (SSH, 22) and API clients (6443) connect from; no
 *                                  default (every default either exposes SSH and the API or makes a public cluster
 *                                  unreachable), so {@link RequiredSettingsCheck} refuses to start without it
 * @param zoneCount                 how many availability zones subnets are spread over (at least two are always used)
 * @param sshEndpointTag            an instance tag holding {@code host:port} that overrides the SSH endpoint (set by the
 *                                  sandbox emulator)
 * @param sshEndpointTagIsAddress   sandbox only, never on AWS: the endpoint tag's host is also the node's public
 *                                  address. The sandbox's EC2 emulator hands out unroutable public addresses, while the
 *                                  simulated host behind the tag serves the node's Kubernetes API, which the bootstrap
 *                                  service reaches at the public address
 * @param rollingBatchPercent       share of the workers replaced at a time when their instance type changes (at least
 *                                  one), like k0sctl's worker batches: the next batch starts when the previous one is
 *                                  drained
 * @param retirementPatience        how long a node marked to retire may wait for its drain before the drift pass asks
 *                                  for it again (a drain under way is not asked twice)
 * @param removeOrphans             whether resources of clusters that no longer exist are deleted (otherwise only
 *                                  reported)
 */
@ConfigurationProperties("k0rdent.provisioner")
public record ProvisionerProperties(
        @Bindable(defaultValue = "k0rdent.cluster.definitions") String definitionsTopic,
        @Bindable(defaultValue = "k0rdent.cluster.bootstrap") String bootstrapTopic,
        @Bindable(defaultValue = "k0rdent.cluster.infrastructure") String infrastructureTopic,
        @Bindable(defaultValue = "k0rdent.dlq.provisioner") String deadLetterTopic,
        @Bindable(defaultValue = "k0rdent.cluster.control") String controlTopic,
        @Bindable(defaultValue = "k0rdent-provisioner") String groupId,
        @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
        @Bindable(defaultValue = "4") int consumerThreads,
        @Bindable(defaultValue = "30s") Duration kafkaTimeout,
        @Bindable(defaultValue = "5") int maxRecordAttempts,
        @Bindable(defaultValue = "us-east-1") String defaultRegion,
        @Nullable URI endpoint,
        @Nullable String accessKeyId,
        @Nullable Secret secretAccessKey,
        @Bindable(defaultValue = "standard") String retryMode,
        @Bindable(defaultValue = "10") int maxAttempts,
        @Bindable(defaultValue = "100ms") Duration retryBaseDelay,
        @Bindable(defaultValue = "20s") Duration retryMaxBackoff,
        @Bindable(defaultValue = "true") boolean clientRateLimits,
        @Bindable(defaultValue = "1") int ec2RateShare,
        @Bindable(defaultValue = "5s") Duration waiterPollInterval,
        @Bindable(defaultValue = "1m") Duration eventualConsistencyWindow,
        @Bindable(defaultValue = "120") int waiterMaxAttempts,
        @Nullable Map<String, String> amis,
        @Bindable(defaultValue = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*") String amiNamePattern,
        @Bindable(defaultValue = "099720109477") String amiOwner,
        @Nullable String adminCidr,
        @Bindable(defaultValue = "3") int zoneCount,
        @Bindable(defaultValue = "ubuntu") String sshUser,
        @Bindable(defaultValue = "sandbox.k0rdent.io/ssh-endpoint") String sshEndpointTag,
        @Bindable(defaultValue = "false") boolean sshEndpointTagIsAddress,
        @Bindable(defaultValue = "10") int rollingBatchPercent,
        @Bindable(defaultValue = "5m") Duration driftInterval,
        @Bindable(defaultValue = "15m") Duration retirementPatience,
        @Bindable(defaultValue = "true") boolean driftEnabled,
        @Bindable(defaultValue = "false") boolean removeOrphans) {

    public ProvisionerProperties {
        amis = amis == null ? Map.of() : Map.copyOf(amis);
    }

    /**
     * The configured {@link #adminCidr() admin CIDR}; fails, naming the setting, when there is none or it is not an
     * IPv4 block.
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
}
