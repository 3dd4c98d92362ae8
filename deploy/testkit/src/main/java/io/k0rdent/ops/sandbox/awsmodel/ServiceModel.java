package io.k0rdent.ops.sandbox.awsmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The request side of one AWS service's published API model: each operation's input shape and every shape it
 * reaches. Generated from botocore's {@code service-2.json} by {@link ModelExtractor}; the files live under
 * {@code aws-model/} on the classpath with the botocore version they came from (see its README).
 *
 * @param service    botocore's directory name ({@code ec2}, {@code elbv2})
 * @param protocol   {@code ec2} or {@code query}: how lists and member names travel on the wire
 * @param apiVersion the {@code Version} parameter every request of this service carries
 * @param source     the package the model was extracted from, e.g. {@code python3-botocore 1.29.27+repack-1}
 * @param operations operation name to its input shape name (empty for an operation without input)
 */
public record ServiceModel(
        String service,
        String protocol,
        String apiVersion,
        String source,
        Map<String, String> operations,
        Map<String, ShapeSpec> shapes) {

    public static final String EC2_RESOURCE = "aws-model/ec2-2016-11-15.json";
    public static final String ELBV2_RESOURCE = "aws-model/elbv2-2015-12-01.json";

    public ServiceModel {
        operations = Map.copyOf(operations);
        shapes = Map.copyOf(shapes);
    }

    /** EC2's model as generated into this module. */
    public static ServiceModel ec2() {
        return load(EC2_RESOURCE);
    }

    /** Elastic Load Balancing v2's model as generated into this module. */
    public static ServiceModel elbv2() {
        return load(ELBV2_RESOURCE);
    }

    public static ServiceModel load(String resource) {
        try (InputStream in = ServiceModel.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no AWS model resource " + resource + " on the classpath");
            }
            return new ObjectMapper().readValue(in, ServiceModel.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AWS model " + resource, e);
        }
    }

    public boolean hasOperation(String operation) {
        return operations.containsKey(operation);
    }

    /** The input shape of {@code operation}; empty for an operation the model has without input. */
    public Optional<ShapeSpec> input(String operation) {
        String name = operations.get(operation);
        return name == null || name.isEmpty() ? Optional.empty() : Optional.of(shape(name));
    }

    public ShapeSpec shape(String name) {
        ShapeSpec shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalStateException(service + " model has no shape " + name);
        }
        return shape;
    }

    public boolean ec2Protocol() {
        return "ec2".equals(protocol);
    }
}
