package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiCertificateNamesTest {

    @Test
    void theAddressSansExternalAddressHostAddressesAndServiceNamesAsK0sIssuesThem() {
        String config = """
                apiVersion: k0s.k0sproject.io/v1beta1
                kind: ClusterConfig
                spec:
                  api:
                    address: 10.0.1.10
                    externalAddress: k0-dev-api-0123456789abcdef.elb.us-east-1.amazonaws.com
                    sans:
                    - 10.0.1.11
                  network:
                    serviceCIDR: 172.21.0.0/16
                """;

        assertThat(ApiCertificateNames.of(config, Set.of("127.0.4.2")))
                .contains("10.0.1.10", "10.0.1.11", "k0-dev-api-0123456789abcdef.elb.us-east-1.amazonaws.com",
                        "127.0.4.2", "127.0.0.1", "localhost", "kubernetes", "kubernetes.default.svc", "172.21.0.1")
                .doesNotContain("10.96.0.1");
    }

    @Test
    void withoutAConfigurationOnlyTheHostAndTheDefaultServiceNetworkAreNamed() {
        assertThat(ApiCertificateNames.of("", Set.of("127.0.4.2"))).contains("127.0.4.2", "10.96.0.1")
                .doesNotContain("k0-dev-api-0123456789abcdef.elb.us-east-1.amazonaws.com");
    }
}
