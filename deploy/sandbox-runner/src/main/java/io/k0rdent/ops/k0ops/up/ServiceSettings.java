package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.sandbox.management.ManagementApi;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code -D} settings that point each service at the sandbox's parts. They override the services'
 * {@code application.yml} (system properties rank above it in Micronaut), so no service knows it runs in
 * a sandbox except through what is set here. Secrets are passed as files, never as values, because
 * system properties show in the process list.
 *
 * @param bootstrapServers    the Kafka broker
 * @param stateDir            {@code .k0ops}
 * @param repositoryUrl       the GitOps repository the gitwatcher watches
 * @param webhookSecretFile   the push webhook's shared secret
 * @param ec2Endpoint         the EC2 emulator
 * @param region              the emulator's region
 * @param ami                 an image the emulator knows, so the provisioner does not have to look one up
 * @param sshKeyFile          the bootstrap service's private key
 * @param managementKubeconfig the management cluster's kubeconfig
 * @param slackUrlFile        a file holding the Slack sink's webhook URL
 * @param smtpPort            the local mail server's port on 127.0.0.1
 * @param hostKeySeedFile     the secret the provisioner derives every node's SSH host key from
 */
public record ServiceSettings(String bootstrapServers, Path stateDir, String repositoryUrl, Path webhookSecretFile,
                              String ec2Endpoint, String region, String ami, Path sshKeyFile,
                              Path managementKubeconfig, Path slackUrlFile, int smtpPort, Path hostKeySeedFile) {

    /**
     * Where the bootstrap service's SSH comes from, as the twin's network sees it: the provisioner's whole
     * {@code admin-cidr}, so its security groups admit exactly this.
     */
    public static final String OPERATOR_ADDRESS = "127.0.0.1";

    /** Who gets every notification besides the commit's author. */
    public static final String PLATFORM_TEAM = "platform-team@k0rdent-ops.local";

    /** The settings of {@code service}, listening for HTTP on 127.0.0.1:{@code httpPort}. */
    public Map<String, String> of(Service service, int httpPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("micronaut.server.host", "127.0.0.1");
        settings.put("micronaut.server.port", Integer.toString(httpPort));
        settings.put("kafka.bootstrap.servers", bootstrapServers);
        switch (service) {
            case GITWATCHER -> gitwatcher(settings);
            case PROVISIONER -> provisioner(settings);
            case BOOTSTRAP -> bootstrap(settings);
            case NOTIFIER -> notifier(settings);
        }
        return settings;
    }

    private void gitwatcher(Map<String, String> settings) {
        String prefix = "k0rdent.gitwatcher.";
        settings.put(prefix + "bootstrap-servers", bootstrapServers);
        settings.put(prefix + "mirror-dir", stateDir.resolve("gitwatcher").toString());
        settings.put(prefix + "retry-initial-backoff", "500ms");
        settings.put(prefix + "retry-max-backoff", "10s");
        String repository = prefix + "repositories[0].";
        settings.put(repository + "url", repositoryUrl);
        settings.put(repository + "branch", GitopsRepository.BRANCH);
        settings.put(repository + "webhook-secret-file", webhookSecretFile.toString());
        // The webhook brings pushes at once; the poll only catches what a lost webhook missed.
        settings.put(repository + "poll-interval", "15s");
    }

    private void provisioner(Map<String, String> settings) {
        String prefix = "k0rdent.provisioner.";
        settings.put(prefix + "bootstrap-servers", bootstrapServers);
        settings.put(prefix + "endpoint", ec2Endpoint);
        settings.put(prefix + "default-region", region);
        // The emulator checks no signatures; static credentials keep the SDK away from ~/.aws and IMDS.
        settings.put(prefix + "access-key-id", "sandbox");
        settings.put(prefix + "secret-access-key", "sandbox");
        settings.put(prefix + "amis." + region, ami);
        // The bootstrap service and kubectl run on this machine: SSH and the API are opened to it alone.
        settings.put(prefix + "admin-cidr", OPERATOR_ADDRESS + "/32");
        // Every node gets its host key through user-data, so the bootstrap service pins it (no trust on first use).
        settings.put(prefix + "host-keys.seed-file", hostKeySeedFile.toString());
        // The emulator's public addresses are unroutable; the simulated host behind each instance serves its API.
        settings.put(prefix + "ssh-endpoint-tag-is-address", "true");
        settings.put(prefix + "waiter-poll-interval", "100ms");
        // The emulator enforces no request buckets here, so the client-side copy of EC2's limits would only
        // add waiting that no real account imposes on a sandbox; one consumer thread per partition.
        settings.put(prefix + "client-rate-limits", "false");
        settings.put(prefix + "consumer-threads", "12");
        settings.put(prefix + "retry-base-delay", "50ms");
        settings.put(prefix + "retry-max-backoff", "2s");
    }

    private void bootstrap(Map<String, String> settings) {
        String prefix = "k0rdent.bootstrap.";
        settings.put(prefix + "ssh.private-key-file", sshKeyFile.toString());
        // The key pair the sandbox's EC2 knows and its template names (spec.ssh.keyName): offered to those nodes only.
        settings.put(prefix + "ssh.private-key-name", "k0rdent");
        // No accept-unknown-host-keys: each node's host key comes from its user-data and its fingerprint with the
        // event, so the bootstrap service pins it as it would on AWS.
        settings.put(prefix + "kubeconfig.management-kubeconfig", managementKubeconfig.toString());
        settings.put(prefix + "kubeconfig.namespace", ManagementApi.NAMESPACE);
        settings.put(prefix + "verify.poll-interval", "500ms");
        settings.put(prefix + "verify.ready-timeout", "2m");
    }

    private void notifier(Map<String, String> settings) {
        settings.put("k0rdent.notifier.kafka.bootstrap-servers", bootstrapServers);
        settings.put("k0rdent.notifier.smtp.host", "127.0.0.1");
        settings.put("k0rdent.notifier.smtp.port", Integer.toString(smtpPort));
        settings.put("k0rdent.notifier.smtp.start-tls", "false");
        settings.put("k0rdent.notifier.smtp.from", "k0rdent-ops@k0rdent-ops.local");
        settings.put("k0rdent.notifier.destinations.sandbox-slack.type", "slack");
        settings.put("k0rdent.notifier.destinations.sandbox-slack.url-file", slackUrlFile.toString());
        settings.put("k0rdent.notifier.destinations.sandbox-mail.type", "email");
        settings.put("k0rdent.notifier.destinations.sandbox-mail.to", PLATFORM_TEAM);
        settings.put("k0rdent.notifier.routes.everything.destinations", "sandbox-slack,sandbox-mail");
        settings.put("k0rdent.notifier.author.enabled", "true");
        // People trying the sandbox wait for their message; a short digest window keeps that wait short.
        settings.put("k0rdent.notifier.digest-window", "2s");
    }
}
