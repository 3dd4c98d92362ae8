package io.k0rdent.ops.rules;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.validation.DefinitionPaths;
import io.k0rdent.ops.contracts.validation.LocationIndex;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.SourceLocation;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules that need more than one file: they compare a definition with the accepted definitions
 * of the repository (kept in the state store, never re-read from Git) or with its own previous
 * version. Problems have the same shape as the per-file validator's and point at the offending line
 * of the new file when there is one.
 */
public final class RepositoryRules {

    private RepositoryRules() {
    }

    /**
     * Fields that cannot change once a cluster exists: its name (every AWS resource is named after it),
     * its region and its VPC block (changing either means a new VPC, i.e. a new cluster).
     *
     * @return one problem per changed immutable field, with the old and the new value
     */
    public static List<ValidationProblem> immutableFieldChanges(String file, ClusterDefinition before,
                                                                ClusterDefinition after, LocationIndex locations) {
        List<ValidationProblem> problems = new ArrayList<>();
        check(problems, file, locations, DefinitionPaths.NAME, "metadata.name", before.name(), after.name());
        check(problems, file, locations, DefinitionPaths.REGION, "spec.region",
                before.spec().region(), after.spec().region());
        check(problems, file, locations, DefinitionPaths.VPC_CIDR, "spec.networking.vpcCidr",
                cidr(before), cidr(after));
        return problems;
    }

    /**
     * Everything a new version of an accepted definition must respect: the immutable fields, and upgrades that go
     * one Kubernetes minor version at a time.
     */
    public static List<ValidationProblem> changeProblems(String file, ClusterDefinition before, ClusterDefinition after,
                                                         LocationIndex locations) {
        List<ValidationProblem> problems = new ArrayList<>(immutableFieldChanges(file, before, after, locations));
        versionSkew(file, before, after, locations).ifPresent(problems::add);
        return problems;
    }

    /**
     * An upgrade that skips a minor version (1.28 to 1.30). Kubernetes supports upgrading the control plane one minor
     * version at a time only (kubernetes.io, "Version Skew Policy": "kube-apiserver ... upgrades ... must not skip
     * minor versions"), and k0s upgrades are Kubernetes upgrades (docs.k0sproject.io, "Upgrade"). Downgrades and
     * patch changes are the bootstrap service's to judge (its {@code allow-downgrade}).
     */
    public static Optional<ValidationProblem> versionSkew(String file, ClusterDefinition before,
                                                          ClusterDefinition after, LocationIndex locations) {
        Optional<int[]> from = majorMinor(before.spec().k0s() == null ? null : before.spec().k0s().version());
        Optional<int[]> to = majorMinor(after.spec().k0s() == null ? null : after.spec().k0s().version());
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        int[] old = from.get();
        int[] next = to.get();
        boolean skips = next[0] > old[0] || next[0] == old[0] && next[1] > old[1] + 1;
        if (!skips) {
            return Optional.empty();
        }
        String oldVersion = before.spec().k0s().version();
        String newVersion = after.spec().k0s().version();
        return Optional.of(problem(file, locations, K0S_VERSION, Rule.VERSION_SKEW,
                "spec.k0s.version " + oldVersion + " -> " + newVersion + " skips a Kubernetes minor version; "
                        + "upgrade one minor at a time: next " + old[0] + "." + (old[1] + 1) + ".x, then push "
                        + newVersion));
    }

    private static final String K0S_VERSION = "$.spec.k0s.version";

    private static Optional<int[]> majorMinor(String version) {
        if (version == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v?(\\d+)\\.(\\d+)(\\..*)?").matcher(version);
        return m.matches() ? Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))})
                : Optional.empty();
    }

    private static void check(List<ValidationProblem> problems, String file, LocationIndex locations, String path,
                              String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            problems.add(problem(file, locations, path, Rule.IMMUTABLE_FIELD,
                    field + " cannot change: " + before + " -> " + after));
        }
    }

    /** A second file defines a cluster name that is already defined elsewhere. */
    public static ValidationProblem duplicateName(String file, String name, String otherFile, LocationIndex locations) {
        return problem(file, locations, DefinitionPaths.NAME, Rule.DUPLICATE_NAME,
                "cluster name " + name + " is already defined in " + otherFile);
    }

    /**
     * Whether {@code candidate}'s VPC block overlaps that of another accepted cluster in the same region
     * (overlapping VPCs cannot be peered and break routing between clusters).
     *
     * @param accepted the VPC blocks of the accepted clusters
     * @return the problem for the first overlap found, or empty
     */
    public static Optional<ValidationProblem> cidrOverlap(String file, ClusterDefinition candidate,
                                                          CidrIndex accepted, LocationIndex locations) {
        return accepted.findOverlap(candidate.name(), candidate.spec().region(), cidr(candidate))
                .map(other -> problem(file, locations, DefinitionPaths.VPC_CIDR, Rule.CIDR_OVERLAP,
                        "vpcCidr " + cidr(candidate) + " overlaps " + other.cidr() + " of cluster " + other.name()
                                + " in region " + candidate.spec().region()));
    }

    /** The file of a cluster with {@code deletionProtection: true} was removed. */
    public static ValidationProblem deletionProtected(String file, ClusterDefinition last) {
        return new ValidationProblem(file, 0, 0, DefinitionPaths.DELETION_PROTECTION, Rule.DELETION_PROTECTED,
                "cluster " + last.name() + " has spec.deletionProtection: true and is kept; set it to false in a"
                        + " commit before removing its file");
    }

    static String cidr(ClusterDefinition definition) {
        return definition.spec().networking() == null ? null : definition.spec().networking().vpcCidr();
    }

    private static ValidationProblem problem(String file, LocationIndex locations, String path, Rule rule,
                                             String message) {
        SourceLocation at = locations.find(path).orElse(SourceLocation.WHOLE_FILE);
        return new ValidationProblem(file, at.line(), at.column(), path, rule, message);
    }
}
