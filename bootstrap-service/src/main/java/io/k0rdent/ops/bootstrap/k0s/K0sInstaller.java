package io.k0rdent.ops.bootstrap.k0s;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands k0s is installed, joined, upgraded and queried with, the way k0sctl runs them, and the
 * reading of their output. It only builds {@link RemoteCommand}s; running them is the phase runner's
 * job. Every variable part is checked against {@link SafeValues} and then quoted.
 */
public final class K0sInstaller {

    /** How long a join token lives per node it is for (k0sctl: ten minutes per joining worker). */
    public static final java.time.Duration TOKEN_LIFETIME_PER_NODE = java.time.Duration.ofMinutes(10);

    private static final Pattern VERSION_OUTPUT = Pattern.compile("v?([0-9]+\\.[0-9]+\\.[0-9]+\\+k0s\\.[0-9]+)");
    private static final Pattern OS_ID = Pattern.compile("(?m)^ID=\"?([A-Za-z0-9._-]+)\"?\\s*$");

    private final BootstrapProperties.K0s settings;
    private final boolean sudo;

    /**
     * @param settings k0s settings (paths, URL templates)
     * @param sudo     whether privileged commands run under {@code sudo -n}
     */
    public K0sInstaller(BootstrapProperties.K0s settings, boolean sudo) {
        this.settings = settings;
        this.sudo = sudo;
        SafeValues.path(settings.binaryPath());
        SafeValues.path(settings.configPath());
        SafeValues.path(settings.tokenPath());
    }

    public RemoteCommand architecture() {
        return RemoteCommand.of("uname", "-m");
    }

    public RemoteCommand osRelease() {
        return RemoteCommand.of("cat", "/etc/os-release");
    }

    public RemoteCommand hostname() {
        return RemoteCommand.of("hostname");
    }

    /** k0s's name for the machine architecture {@code uname -m} reports, or empty when k0s has no build for it. */
    public static Optional<String> k0sArch(String unameMachine) {
        return switch (unameMachine.strip()) {
            case "x86_64", "amd64" -> Optional.of("amd64");
            case "aarch64", "arm64" -> Optional.of("arm64");
            case "armv7l", "armv7", "armhf" -> Optional.of("arm");
            default -> Optional.empty();
        };
    }

    /** The {@code ID} of {@code /etc/os-release}, lower case, or empty. */
    public static Optional<String> osId(String osRelease) {
        Matcher m = OS_ID.matcher(osRelease);
        return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    public RemoteCommand installedVersion() {
        return RemoteCommand.of("k0s", "version");
    }

    /** The version {@code k0s version} printed ({@code v1.28.3+k0s.0} → {@code 1.28.3+k0s.0}), or empty. */
    public static Optional<String> parseVersion(String output) {
        Matcher m = VERSION_OUTPUT.matcher(output.strip());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The download URL of {@code version} for {@code arch}; both are checked first. */
    public String downloadUrl(String version, String arch) {
        return SafeValues.url(settings.downloadUrlTemplate()
                .replace("{version}", SafeValues.k0sVersion(version))
                .replace("{arch}", SafeValues.arch(arch)));
    }

    /** The local binary for air-gapped sites, when configured. */
    public Optional<String> localBinary(String version, String arch) {
        if (settings.localBinaryTemplate() == null || settings.localBinaryTemplate().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(settings.localBinaryTemplate()
                .replace("{version}", SafeValues.k0sVersion(version))
                .replace("{arch}", SafeValues.arch(arch)));
    }

    /**
     * Downloads k0s on the node into a temporary file and moves it into place, so a broken download
     * never replaces a working binary.
     */
    public RemoteCommand download(String version, String arch) {
        String target = settings.binaryPath();
        String partial = target + ".download";
        return RemoteCommand.of("curl", "-sSfL", "--retry", "3", "-o", partial, downloadUrl(version, arch))
                .andThen("chmod", "0755", partial)
                .andThen("mv", "-f", partial, target)
                .privileged(sudo);
    }

    /** Uploads a k0s binary through standard input (air-gapped sites). */
    public RemoteCommand upload(byte[] binary) {
        return writeFile(settings.binaryPath(), "0755", binary);
    }

    /** Writes {@code content} to {@code path} through standard input, creating parent directories. */
    public RemoteCommand writeFile(String path, String mode, byte[] content) {
        return RemoteCommand.of("install", "-D", "-m", mode, "/dev/stdin", SafeValues.path(path))
                .privileged(sudo).withStdin(content);
    }

    public RemoteCommand writeConfig(String yaml) {
        return writeFile(settings.configPath(), "0600", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** Has k0s itself check the configuration file before anything is installed with it. */
    public RemoteCommand validateConfig() {
        return RemoteCommand.of("k0s", "config", "validate", "--config", settings.configPath()).privileged(sudo);
    }

    public RemoteCommand readConfig() {
        return RemoteCommand.of("cat", settings.configPath()).privileged(sudo);
    }

    /** Writes a join token to the token file; the token travels on standard input only. */
    public RemoteCommand writeToken(String token) {
        return writeFile(settings.tokenPath(), "0600", token.getBytes(StandardCharsets.UTF_8));
    }

    public RemoteCommand removeToken() {
        return RemoteCommand.of("rm", "-f", settings.tokenPath()).privileged(sudo);
    }

    /**
     * Installs the controller service; {@code --force} rewrites an existing service definition, which
     * keeps a retry after a half-finished install idempotent.
     *
     * @param join         whether it joins an existing cluster with the token file
     * @param enableWorker whether the controller also runs workloads (clusters without workers)
     */
    public RemoteCommand installController(boolean join, boolean enableWorker) {
        List<String> argv = new ArrayList<>(List.of("k0s", "install", "controller", "--force", "--config", settings.configPath()));
        if (join) {
            argv.addAll(List.of("--token-file", settings.tokenPath()));
        }
        if (enableWorker) {
            argv.addAll(List.of("--enable-worker", "--no-taints"));
        }
        return new RemoteCommand(List.of(argv), sudo, null);
    }

    public RemoteCommand installWorker() {
        return RemoteCommand.of("k0s", "install", "worker", "--force", "--token-file", settings.tokenPath()).privileged(sudo);
    }

    public RemoteCommand start() {
        return RemoteCommand.of("k0s", "start").privileged(sudo);
    }

    public RemoteCommand stop() {
        return RemoteCommand.of("k0s", "stop").privileged(sudo);
    }

    /** Run on a controller that is being retired: removes it from the etcd cluster. */
    public RemoteCommand leaveEtcd() {
        return RemoteCommand.of("k0s", "etcd", "leave").privileged(sudo);
    }

    /** Exit status 0 when the k0s service is installed and running. */
    public RemoteCommand status() {
        return RemoteCommand.of("k0s", "status").privileged(sudo);
    }

    /** Asks the local API server whether it is ready; prints {@code ok} when it is. */
    public RemoteCommand apiReady() {
        return RemoteCommand.of("k0s", "kubectl", "get", "--raw=/readyz").privileged(sudo);
    }

    /**
     * Prints a join token for {@code role} ({@code controller} or {@code worker}). Short-lived: it only has to last
     * while this pass joins its nodes, and it is invalidated right after ({@link #invalidateToken}).
     */
    public RemoteCommand createToken(String role, int nodes) {
        if (!role.equals("controller") && !role.equals("worker")) {
            throw new IllegalArgumentException("unknown role " + role);
        }
        // Go's duration syntax, as k0s reads --expiry.
        long minutes = TOKEN_LIFETIME_PER_NODE.toMinutes() * Math.max(1, nodes);
        return RemoteCommand.of("k0s", "token", "create", "--role=" + role, "--expiry=" + minutes + "m")
                .privileged(sudo);
    }

    /** Invalidates the join token with this id ({@link JoinTokenId}), so it cannot join anything more. */
    public RemoteCommand invalidateToken(String tokenId) {
        SafeValues.tokenId(tokenId);
        return RemoteCommand.of("k0s", "token", "invalidate", tokenId).privileged(sudo);
    }

    /** Prints the admin kubeconfig of the cluster (with the controller's own address as server). */
    public RemoteCommand adminKubeconfig() {
        return RemoteCommand.of("k0s", "kubeconfig", "admin").privileged(sudo);
    }
}
