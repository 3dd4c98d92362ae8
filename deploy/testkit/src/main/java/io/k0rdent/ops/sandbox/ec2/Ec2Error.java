package io.k0rdent.ops.sandbox.ec2;

/**
 * An EC2 API error as the emulator returns it: an AWS error code, a message and the HTTP status AWS uses for it.
 * Client errors are 400, throttling 503 and server faults 500, so the SDK classifies them as it would on AWS.
 */
public final class Ec2Error extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;

    public Ec2Error(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** A 400 client error, which the SDK does not retry. */
    public static Ec2Error client(String code, String message) {
        return new Ec2Error(code, message, 400);
    }

    /** {@code DependencyViolation}: the resource still has dependents (subnets, instances, mapped addresses). */
    public static Ec2Error dependencyViolation(String message) {
        return client("DependencyViolation", message);
    }

    /** {@code <Kind>.NotFound}, e.g. {@code InvalidVpcID.NotFound}. */
    public static Ec2Error notFound(String code, String id) {
        return client(code, "The ID '" + id + "' does not exist");
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
