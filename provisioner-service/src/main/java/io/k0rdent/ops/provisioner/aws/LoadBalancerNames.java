package io.k0rdent.ops.provisioner.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * ELBv2 names of a cluster's load balancer and target groups. ELBv2 allows at most 32 characters, letters, digits
 * and hyphens, not starting or ending with a hyphen, and a load balancer name may not start with {@code internal-}
 * (AWS API reference, "CreateLoadBalancer", "CreateTargetGroup"). A cluster name that does not fit is shortened and
 * made unique with a digest, deterministically, so a name found once is found again after a restart.
 */
public record LoadBalancerNames(String loadBalancer, String base) {

    /** Room for {@code -<port>} (at most 6 characters) after the base. */
    private static final int BASE_LENGTH = 26;

    public static LoadBalancerNames of(String cluster) {
        String base = "k0-" + cluster;
        if (base.length() > BASE_LENGTH || !base.matches("[A-Za-z0-9-]+") || base.endsWith("-")) {
            String readable = cluster.replaceAll("[^A-Za-z0-9-]", "").replaceAll("-+$", "");
            readable = readable.substring(0, Math.min(readable.length(), BASE_LENGTH - 12));
            base = "k0-" + readable + (readable.isEmpty() ? "" : "-") + digest(cluster);
        }
        return new LoadBalancerNames(base + "-api", base);
    }

    public String targetGroup(int port) {
        return base + "-" + port;
    }

    private static String digest(String cluster) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cluster.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
