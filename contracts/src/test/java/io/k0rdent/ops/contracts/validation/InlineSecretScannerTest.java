package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InlineSecretScannerTest {

    private final InlineSecretScanner scanner = new InlineSecretScanner();
    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            note            | -----BEGIN RSA PRIVATE KEY-----                                  | a PEM private key
            note            | -----BEGIN PRIVATE KEY-----                                      | a PEM private key
            note            | -----BEGIN EC PRIVATE KEY-----                                   | a PEM private key
            note            | creds AKIAIOSFODNN7EXAMPLE here                                  | an AWS access key id
            note            | ASIAY34FZKBOKMUTVV7A                                             | an AWS access key id
            aws             | wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY                         | an AWS secret access key
            note            | kX9v2Lq8ZrT4mW7pN3sB6yH1cF5dJ0gA8eR2uQ4t                         | an AWS secret access key
            note            | ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789                         | a GitHub token
            note            | gho_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789                         | a GitHub token
            note            | github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz        | a GitHub token
            note            | glpat-aBcDeFgHiJkLmNoPqRsT                                       | a GitLab personal access token
            note            | xoxp-1234567890-1234567890-abcdef                                | a Slack token
            note            | xoxa-2-abcdefghijklmnop                                          | a Slack token
            note            | https://hooks.slack.com/services/T000/B000/XXXX                  | a Slack webhook URL
            """)
    void recognisesTokenShapes(String key, String value, String kind) {
        var findings = scanner.scan(object(key, value), LocationIndex.empty());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("looks like " + kind
                    + "; never commit credentials: remove it, rotate it, and reference it by name instead");
            assertThat(f.message()).doesNotContain(value);
            assertThat(f.path()).isEqualTo("$." + key);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "dbPassword", "DB_PASSWD", "clientSecret", "api-key", "apiKey", "authToken",
            "k0rdent.io/token", "privateKey", "passphrase", "credentials", "awsSecretAccessKey"})
    void flagsValuesOfSecretNamedFields(String key) {
        var findings = scanner.scan(object(key, "s3cr3t-value"), LocationIndex.empty());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("'" + key + "' holds an inline secret");
            assertThat(f.message()).doesNotContain("s3cr3t-value");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            keyName            | k0rdent
            secretName         | cluster-credentials
            tokenTtl           | 5m
            passwordPolicy     | strict
            password           | ''
            instanceType       | t3.medium
            commit             | 3f786850e387550fdab836ed7e6dc881de23001b
            description        | ThisIsAVeryLongAnnotationValueForTests12
            path               | charts/ingress-nginx/values-production.yaml
            token              | '   '
            note               | see https://hooks.slack.com.example.org/help
            note               | AKIA1234
            team               | engineering
            """)
    void leavesOrdinaryValuesAlone(String key, String value) {
        assertThat(scanner.scan(object(key, value), LocationIndex.empty())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled", "count"})
    void booleansAndNumbersUnderOrdinaryNamesAreFine(String key) throws Exception {
        JsonNode tree = mapper.readTree("{\"" + key + "\": true, \"n\": 12}");

        assertThat(scanner.scan(tree, LocationIndex.empty())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"password\": 123456}", "{\"list\": [\"ok\", \"AKIAIOSFODNN7EXAMPLE\"]}"})
    void numbersUnderSecretNamesAndItemsOfListsAreScanned(String json) throws Exception {
        assertThat(scanner.scan(mapper.readTree(json), LocationIndex.empty())).hasSize(1);
    }

    private ObjectNode object(String key, String value) {
        return mapper.createObjectNode().put(key, value);
    }
}
