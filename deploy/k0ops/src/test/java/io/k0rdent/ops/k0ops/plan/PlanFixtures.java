package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Definition files and a small price table for the plan tests. */
final class PlanFixtures {

    static final ClusterDefinitionValidator VALIDATOR = new ClusterDefinitionValidator(ValidationPolicy.defaults());

    /** A small table with round numbers, so expected costs are easy to check by hand. */
    static final PriceTable PRICES = PriceTable.parse(new ByteArrayInputStream("""
            source: test
            asOf: "2024"
            hoursPerMonth: 730
            regions:
              us-east-1:
                t3.medium: 0.0416
                t3.large: 0.0832
                m5.large: 0.096
                m5.xlarge: 0.192
            """.getBytes(StandardCharsets.UTF_8)));

    private PlanFixtures() {
    }

    static String yaml(String name, String region, String cidr, int controllers, String controllerType, int workers,
                       String workerType, String k0s, boolean deletionProtection) {
        return """
                apiVersion: k0rdent.io/v1alpha1
                kind: Cluster
                metadata:
                  name: %s
                  labels:
                    team: engineering
                spec:
                  region: %s
                  networking:
                    vpcCidr: "%s"
                    publicIp: true
                  nodes:
                    controllers:
                      count: %d
                      instanceType: %s
                    workers:
                      count: %d
                      instanceType: %s
                  k0s:
                    version: "%s"
                  ssh:
                    keyName: k0rdent
                  deletionProtection: %s
                """.formatted(name, region, cidr, controllers, controllerType, workers, workerType, k0s,
                deletionProtection);
    }

    /** dev-01 as the template has it: 1 × t3.medium controller, 2 × t3.large workers. */
    static String dev01() {
        return yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 2, "t3.large", "1.28.3+k0s.0", false);
    }

    static ValidationResult file(String path, String yaml) {
        return VALIDATOR.validate(path, yaml);
    }

    static ValidationResult valid(String path, String yaml) {
        ValidationResult result = file(path, yaml);
        if (!result.isValid()) {
            throw new IllegalArgumentException("fixture is invalid: " + result.problems());
        }
        return result;
    }

    static AppliedCluster applied(String path, String yaml) {
        return new AppliedCluster(valid(path, yaml).definition(), 1, path, "file:///gitops.git");
    }
}
