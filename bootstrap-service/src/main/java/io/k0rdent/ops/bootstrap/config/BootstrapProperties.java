package io.k0rdent.ops.bootstrap.config;

import io.k0rdent.ops.contracts.topic.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the bootstrap service is configured with ({@code k0rdent.bootstrap.*}). Domain classes
 * receive the nested records directly, so unit tests build them without Micronaut.
 *
 * @param parallelism     how many clusters are bootstrapped at once (the listener's consumer threads)
 * @param nodeParallelism how many nodes run commands at once, shared by all clusters (facts, installs, worker joins)
 * @param maxRecordAttempts how often one infrastructure record may fail (throw, e.g. the event cannot be published or
 *                        the management cluster's API errors) before it goes to the dead-letter topic with
 *                        {@code RETRIES_EXHAUSTED}, so that it cannot stop its partition for ever
 * @param groupId         the consumer group of the listeners, also the prefix of the control topic reader's
 * @param kafkaTimeout    bound on the control topic reader's blocking Kafka calls
 */
@ConfigurationProperties("k0rdent.bootstrap")
public record BootstrapProperties(
        @Bindable(defaultValue = "4") int parallelism,
        @Bindable(defaultValue = "16") int nodeParallelism,
        @Bindable(defaultValue = "5") int maxRecordAttempts,
        Ssh ssh,
        K0s k0s,
        Verify verify,
        Kubeconfig kubeconfig,
        TopicNames topics,
        @Bindable(defaultValue = "k0rdent-bootstrap") String groupId,
        @Bindable(defaultValue = "30s") Duration kafkaTimeout) {

    /** Settings with the default consumer group and Kafka timeout (tests build the rest themselves). */
    public BootstrapProperties(int parallelism, int nodeParallelism, int maxRecordAttempts, Ssh ssh, K0s k0s,
                               Verify verify, Kubeconfig kubeconfig, TopicNames topics) {
        this(parallelism, nodeParallelism, maxRecordAttempts, ssh, k0s, verify, kubeconfig, topics,
                "k0rdent-bootstrap", Duration.ofSeconds(30));
    }

    /**
     * How nodes are reached.
     *
     * @param privateKeyFile         OpenSSH/PEM private key file (a mounted secret); its content is never logged
     * @param knownHostsFile         OpenSSH known_hosts used when an event carries no host key fingerprint
     * @param acceptUnknownHostKeys  accept a host key that is neither pinned nor known; for the sandbox only,
     *                               never in production configuration
     * @param useSudo                run privileged commands under {@code sudo -n} (nodes log in as a normal user)
     * @param jumpHost               optional bastion every node is reached through, {@code user@host:port}
     * @param jumpHostFingerprint    the bastion's pinned host key fingerprint ({@code SHA256:...}); without it the
     *                               bastion's key is checked like any unpinned one (known_hosts)
     * @param bootTimeout            how long a node that refuses or drops connections is given to finish booting: an
     *                               EC2 instance is {@code running} before its sshd listens (boot, cloud-init). Tried
     *                               again with pauses doubling from 250 ms to 5 s; a key or login refusal is final
     * @param privateKeysDir         one private key file per EC2 key pair, named after it ({@code NAME} or
     *                               {@code NAME.pem}), e.g. a Secret mounted as a directory
     * @param privateKeyName         the EC2 key pair {@code privateKeyFile} belongs to; without it that one file is
     *                               offered for every key pair (deprecated, warned at start)
     */
    @ConfigurationProperties("ssh")
    public record Ssh(
            @Nullable Path privateKeyFile,
            @Nullable Path knownHostsFile,
            @Bindable(defaultValue = "false") boolean acceptUnknownHostKeys,
            @Bindable(defaultValue = "15s") Duration connectTimeout,
            @Bindable(defaultValue = "10m") Duration commandTimeout,
            @Bindable(defaultValue = "true") boolean useSudo,
            @Nullable String jumpHost,
            @Nullable String jumpHostFingerprint,
            @Bindable(defaultValue = "3m") Duration bootTimeout,
            @Nullable Path privateKeysDir,
            @Nullable String privateKeyName) {

        /** The settings of one unnamed key file (tests, and deployments from before named keys). */
        public Ssh(Path privateKeyFile, Path knownHostsFile, boolean acceptUnknownHostKeys, Duration connectTimeout,
                   Duration commandTimeout, boolean useSudo, String jumpHost, String jumpHostFingerprint,
                   Duration bootTimeout) {
            this(privateKeyFile, knownHostsFile, acceptUnknownHostKeys, connectTimeout, commandTimeout, useSudo,
                    jumpHost, jumpHostFingerprint, bootTimeout, null, null);
        }
    }

    /**
     * How k0s is installed.
     *
     * @param downloadUrlTemplate URL the node downloads k0s from; {@code {version}} and {@code {arch}} are replaced
     * @param localBinaryTemplate for air-gapped sites: a local file uploaded instead ({@code {version}}, {@code {arch}})
     * @param allowDowngrade      whether a lower k0s version may be rolled out
     * @param workerBatchPercent  share of workers upgraded at once (at least one)
     */
    @ConfigurationProperties("k0s")
    public record K0s(
            @Bindable(defaultValue = "https://github.com/k0sproject/k0s/releases/download/v{version}/k0s-v{version}-{arch}")
            String downloadUrlTemplate,
            @Nullable String localBinaryTemplate,
            @Bindable(defaultValue = "/usr/local/bin/k0s") String binaryPath,
            @Bindable(defaultValue = "/etc/k0s/k0s.yaml") String configPath,
            @Bindable(defaultValue = "/etc/k0s/join-token") String tokenPath,
            @Bindable(defaultValue = "6443") int apiPort,
            @Bindable(defaultValue = "false") boolean allowDowngrade,
            @Bindable(defaultValue = "10") int workerBatchPercent) {
    }

    /**
     * What "working" means and how long to wait for it.
     *
     * @param readyTimeout how long nodes and system pods may take to become healthy before the cluster is failed
     * @param pollInterval how often the cluster's API is asked
     * @param apiTimeout   how long a controller's API may take to answer after k0s starts
     * @param drainTimeout how long a node's pods may take to leave it through the Eviction API (PodDisruptionBudgets
     *                     may refuse for a while) before the drain fails, naming the pods and budgets
     * @param probeImage   the image of the pod-network and DNS probe pods: Kubernetes' test image {@code agnhost}
     *                     (mirror it for clusters without a way to registry.k8s.io)
     */
    @ConfigurationProperties("verify")
    public record Verify(
            @Bindable(defaultValue = "10m") Duration readyTimeout,
            @Bindable(defaultValue = "2s") Duration pollInterval,
            @Bindable(defaultValue = "5m") Duration apiTimeout,
            @Bindable(defaultValue = "5m") Duration drainTimeout,
            @Bindable(defaultValue = "registry.k8s.io/e2e-test-images/agnhost:2.40") String probeImage) {
    }

    /**
     * Where kubeconfigs are stored in the management cluster.
     *
     * @param namespace          namespace of the {@code <cluster>-kubeconfig} Secrets
     * @param managementKubeconfig kubeconfig of the management cluster; absent means the usual discovery
     *                           (in-cluster service account, {@code KUBECONFIG})
     */
    @ConfigurationProperties("kubeconfig")
    public record Kubeconfig(
            @Bindable(defaultValue = "k0rdent-system") String namespace,
            @Nullable Path managementKubeconfig) {
    }

    /** Topic names; the defaults are the contract's, tests override them with unique names. */
    @ConfigurationProperties("topics")
    public record TopicNames(
            @Bindable(defaultValue = "k0rdent.cluster.infrastructure") String infrastructure,
            @Bindable(defaultValue = "k0rdent.cluster.bootstrap") String bootstrap,
            @Bindable(defaultValue = "k0rdent.dlq.bootstrap") String deadLetter,
            @Bindable(defaultValue = "k0rdent.cluster.control") String control) {

        /** The contract's topic names. */
        public static TopicNames contract() {
            return new TopicNames(Topics.INFRASTRUCTURE.name(), Topics.BOOTSTRAP.name(), Topics.DLQ_BOOTSTRAP.name(),
                    Topics.CONTROL.name());
        }
    }
}
