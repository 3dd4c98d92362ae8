package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The value rules of a single definition that need more than a schema can say, each reported at the
 * exact field with a message that explains the fix.
 *
 * <p>Each rule looks only at a field of the expected JSON type: a missing field or one of the wrong
 * type is a schema problem, reported once by {@link SchemaCheck}. Fields already reported as inline
 * secrets are skipped, because these messages quote the value.
 */
final class SemanticRules {

    /** Kubernetes and AWS name resources after the cluster, so the name must be a DNS-1123 label. */
    static final int MAX_NAME_LENGTH = 63;
    static final int MAX_WORKERS = 500;
    static final int MIN_CIDR_PREFIX = 16;
    static final int MAX_CIDR_PREFIX = 24;

    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern K0S_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+\\+k0s\\.\\d+");
    private static final int LISTED_ALTERNATIVES = 5;

    private final ValidationPolicy policy;

    SemanticRules(ValidationPolicy policy) {
        this.policy = policy;
    }

    void check(JsonNode document, Set<String> secretPaths, ProblemCollector problems) {
        Fields fields = new Fields(document, secretPaths);
        fields.text(DefinitionPaths.NAME).ifPresent(name -> checkName(name, problems));
        fields.text(DefinitionPaths.REGION).ifPresent(region -> checkRegion(region, problems));
        fields.text(DefinitionPaths.VPC_CIDR).ifPresent(cidr -> checkCidr(cidr, problems));
        fields.integer(DefinitionPaths.CONTROLLER_COUNT).ifPresent(count -> checkControllerCount(count, problems));
        fields.integer(DefinitionPaths.WORKER_COUNT).ifPresent(count -> checkWorkerCount(count, problems));
        fields.text(DefinitionPaths.CONTROLLER_INSTANCE_TYPE)
                .ifPresent(type -> checkInstanceType(DefinitionPaths.CONTROLLER_INSTANCE_TYPE, type, problems));
        fields.text(DefinitionPaths.WORKER_INSTANCE_TYPE)
                .ifPresent(type -> checkInstanceType(DefinitionPaths.WORKER_INSTANCE_TYPE, type, problems));
        fields.text(DefinitionPaths.K0S_VERSION).ifPresent(version -> checkK0sVersion(version, problems));
    }

    private static void checkName(String name, ProblemCollector problems) {
        if (name.isEmpty()) {
            problems.atNode(DefinitionPaths.NAME, Rule.NAME_FORMAT, "must not be empty");
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.atNode(DefinitionPaths.NAME, Rule.NAME_FORMAT,
                    "must be at most " + MAX_NAME_LENGTH + " characters long (DNS-1123 label), found " + name.length());
        } else if (!DNS_1123_LABEL.matcher(name).matches()) {
            problems.atNode(DefinitionPaths.NAME, Rule.NAME_FORMAT, "'" + name + "' is not a DNS-1123 label:"
                    + " use lowercase letters, digits and '-', and start and end with a letter or digit");
        }
    }

    private void checkRegion(String region, ProblemCollector problems) {
        if (!policy.allowedRegions().contains(region)) {
            problems.atNode(DefinitionPaths.REGION, Rule.REGION_NOT_ALLOWED,
                    "region '" + region + "' is not allowed; " + alternatives(region, policy.allowedRegions()));
        }
    }

    private void checkInstanceType(String path, String type, ProblemCollector problems) {
        if (!policy.allowedInstanceTypes().contains(type)) {
            problems.atNode(path, Rule.INSTANCE_TYPE_NOT_ALLOWED,
                    "instance type '" + type + "' is not allowed; " + alternatives(type, policy.allowedInstanceTypes()));
        }
    }

    private static void checkCidr(String text, ProblemCollector problems) {
        String path = DefinitionPaths.VPC_CIDR;
        Optional<Ipv4Cidr> parsed = Ipv4Cidr.parse(text);
        if (parsed.isEmpty()) {
            problems.atNode(path, Rule.CIDR_FORMAT, "'" + text + "' is not an IPv4 CIDR block; write it as a.b.c.d/prefix,"
                    + " e.g. 10.0.0.0/16");
            return;
        }
        Ipv4Cidr cidr = parsed.get();
        if (cidr.prefix() < MIN_CIDR_PREFIX || cidr.prefix() > MAX_CIDR_PREFIX) {
            problems.atNode(path, Rule.CIDR_PREFIX, "prefix /" + cidr.prefix() + " is out of range; use /" + MIN_CIDR_PREFIX
                    + " (65,536 addresses) to /" + MAX_CIDR_PREFIX + " (256 addresses)");
        } else if (cidr.hasHostBits()) {
            problems.atNode(path, Rule.CIDR_FORMAT, text + " has host bits set; did you mean " + cidr.network() + "?");
        } else if (!cidr.isPrivate()) {
            problems.atNode(path, Rule.CIDR_RFC1918, text + " is not a private range; use a block inside 10.0.0.0/8,"
                    + " 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)");
        }
    }

    private static void checkControllerCount(BigInteger count, ProblemCollector problems) {
        if (count.signum() <= 0) {
            problems.atNode(DefinitionPaths.CONTROLLER_COUNT, Rule.CONTROLLER_COUNT,
                    "must be at least 1: the controllers run etcd and the Kubernetes API");
        } else if (!count.testBit(0)) {
            problems.atNode(DefinitionPaths.CONTROLLER_COUNT, Rule.CONTROLLER_COUNT, "must be odd, found " + count
                    + ": etcd needs a majority of controllers for quorum, so " + count + " controllers survive no more"
                    + " failures than " + count.subtract(BigInteger.ONE));
        }
    }

    private static void checkWorkerCount(BigInteger count, ProblemCollector problems) {
        if (count.signum() < 0) {
            problems.atNode(DefinitionPaths.WORKER_COUNT, Rule.WORKER_COUNT, "must not be negative, found " + count);
        } else if (count.compareTo(BigInteger.valueOf(MAX_WORKERS)) > 0) {
            problems.atNode(DefinitionPaths.WORKER_COUNT, Rule.WORKER_COUNT,
                    "must be at most " + MAX_WORKERS + ", found " + count);
        }
    }

    private static void checkK0sVersion(String version, ProblemCollector problems) {
        if (!K0S_VERSION.matcher(version).matches()) {
            problems.atNode(DefinitionPaths.K0S_VERSION, Rule.K0S_VERSION, "'" + version + "' is not a k0s release;"
                    + " write MAJOR.MINOR.PATCH+k0s.BUILD, e.g. 1.28.3+k0s.0");
        }
    }

    /**
     * "allowed: ..." with the allowed values most like the rejected one first (longest common
     * prefix, then alphabetical), so that a typo in {@code us-east-7} lists {@code us-east-1} first.
     */
    static String alternatives(String rejected, Set<String> allowed) {
        if (allowed.isEmpty()) {
            return "the platform policy allows none";
        }
        List<String> ordered = allowed.stream()
                .sorted(Comparator.comparingInt((String candidate) -> -commonPrefix(candidate, rejected))
                        .thenComparing(Comparator.naturalOrder()))
                .collect(Collectors.toList());
        String listed = String.join(", ", ordered.subList(0, Math.min(LISTED_ALTERNATIVES, ordered.size())));
        int more = ordered.size() - LISTED_ALTERNATIVES;
        return "allowed: " + listed + (more > 0 ? " and " + more + " more" : "");
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** Typed access to the fields the rules read, skipping secrets and wrongly typed values. */
    private static final class Fields {

        private final JsonNode document;
        private final Set<String> secretPaths;

        Fields(JsonNode document, Set<String> secretPaths) {
            this.document = document;
            this.secretPaths = secretPaths;
        }

        Optional<String> text(String path) {
            return node(path).filter(JsonNode::isTextual).map(JsonNode::asText);
        }

        /** Whole numbers, including YAML floats such as {@code 3.0}, which JSON Schema also accepts as integers. */
        Optional<BigInteger> integer(String path) {
            return node(path)
                    .filter(node -> node.isNumber() && node.canConvertToExactIntegral())
                    .map(node -> node.decimalValue().toBigIntegerExact());
        }

        private Optional<JsonNode> node(String path) {
            if (secretPaths.contains(path)) {
                return Optional.empty();
            }
            // The paths read here are all plain dotted names, so they map one-to-one onto a JSON pointer.
            JsonNode node = document.at(JsonPointer.compile(path.substring(1).replace('.', '/')));
            return node.isMissingNode() ? Optional.empty() : Optional.of(node);
        }
    }
}
