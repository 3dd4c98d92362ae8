package io.k0rdent.ops.sandbox.awsmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the generated models in {@code src/main/resources/aws-model/} equal to what {@link ModelExtractor} makes of
 * the botocore model files installed on this machine (Debian's {@code python3-botocore}, which {@code .ci/run}
 * installs). Regenerate with
 * {@code ./mvnw -pl deploy/testkit test -Dtest=AwsModelResourceTest -Daws-model.write=true}.
 */
class AwsModelResourceTest {

    private static final Path BOTOCORE = Path.of(System.getProperty("botocore.dir",
            "/usr/lib/python3/dist-packages/botocore"));
    private static final Path RESOURCES = Path.of("src/main/resources");

    @ParameterizedTest
    @CsvSource({"ec2, 2016-11-15, aws-model/ec2-2016-11-15.json", "elbv2, 2015-12-01, aws-model/elbv2-2015-12-01.json"})
    void generatedModelMatchesTheInstalledBotocore(String service, String version, String resource)
            throws IOException {
        Path source = BOTOCORE.resolve("data").resolve(service).resolve(version).resolve("service-2.json");
        assumeTrue(Files.isRegularFile(source), "AWS's model file " + source + " is missing: install Debian's "
                + "python3-botocore (apt-get install python3-botocore) or point -Dbotocore.dir at a botocore package");
        ObjectMapper mapper = new ObjectMapper();
        ServiceModel fresh = ModelExtractor.extract(service, mapper.readTree(source.toFile()),
                "botocore " + botocoreVersion());

        if (Boolean.getBoolean("aws-model.write")) {
            Files.createDirectories(RESOURCES.resolve(resource).getParent());
            mapper.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValue(RESOURCES.resolve(resource).toFile(), fresh);
        }
        ServiceModel committed = ServiceModel.load(resource);
        assumeTrue(committed.source().equals(fresh.source()), "the committed " + resource + " comes from "
                + committed.source() + " but " + fresh.source() + " is installed; regenerate it with "
                + "-Daws-model.write=true if that version should become the contract");
        assertThat(committed).as("%s regenerated from %s", resource, source).isEqualTo(fresh);
    }

    private static String botocoreVersion() throws IOException {
        Matcher version = Pattern.compile("__version__ = '([^']+)'")
                .matcher(Files.readString(BOTOCORE.resolve("__init__.py")));
        return version.find() ? version.group(1) : "unknown";
    }
}
