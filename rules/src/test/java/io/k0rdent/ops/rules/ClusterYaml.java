package io.k0rdent.ops.rules;

/** Builds cluster definition files for tests; each {@code with…} returns a changed copy. */
public record ClusterYaml(String name, String region, String cidr, int workers, boolean deletionProtection,
                          String team, String k0sVersion, Boolean ingress) {

    public static ClusterYaml cluster(String name) {
        return new ClusterYaml(name, "us-east-1", "10.0.0.0/16", 3, false, "engineering", "1.28.3+k0s.0", null);
    }

    public ClusterYaml withName(String value) {
        return new ClusterYaml(value, region, cidr, workers, deletionProtection, team, k0sVersion, ingress);
    }

    public ClusterYaml withRegion(String value) {
        return new ClusterYaml(name, value, cidr, workers, deletionProtection, team, k0sVersion, ingress);
    }

    public ClusterYaml withCidr(String value) {
        return new ClusterYaml(name, region, value, workers, deletionProtection, team, k0sVersion, ingress);
    }

    public ClusterYaml withWorkers(int value) {
        return new ClusterYaml(name, region, cidr, value, deletionProtection, team, k0sVersion, ingress);
    }

    public ClusterYaml withDeletionProtection(boolean value) {
        return new ClusterYaml(name, region, cidr, workers, value, team, k0sVersion, ingress);
    }

    public ClusterYaml withTeam(String value) {
        return new ClusterYaml(name, region, cidr, workers, deletionProtection, value, k0sVersion, ingress);
    }

    public ClusterYaml withK0sVersion(String value) {
        return new ClusterYaml(name, region, cidr, workers, deletionProtection, team, value, ingress);
    }

    /** {@code spec.addons.ingress.enabled}; {@code null} leaves {@code addons} out. */
    public ClusterYaml withIngress(Boolean value) {
        return new ClusterYaml(name, region, cidr, workers, deletionProtection, team, k0sVersion, value);
    }

    public String yaml() {
        String addons = ingress == null ? "" : """
                  addons:
                    ingress:
                      enabled: %s
                """.formatted(ingress);
        return """
                apiVersion: k0rdent.io/v1alpha1
                kind: Cluster
                metadata:
                  name: %s
                  labels:
                    team: %s
                spec:
                  region: %s
                  networking:
                    vpcCidr: "%s"
                    publicIp: true
                  nodes:
                    controllers:
                      count: 1
                      instanceType: t3.medium
                    workers:
                      count: %d
                      instanceType: t3.large
                  k0s:
                    version: "%s"
                  ssh:
                    keyName: k0rdent
                %s  deletionProtection: %s
                """.formatted(name, team, region, cidr, workers, k0sVersion, addons, deletionProtection);
    }
}
