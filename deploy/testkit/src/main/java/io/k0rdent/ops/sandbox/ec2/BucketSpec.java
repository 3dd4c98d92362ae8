package io.k0rdent.ops.sandbox.ec2;

/**
 * The size of one EC2 request token bucket.
 *
 * @param capacity        the burst: how many calls may be made at once
 * @param refillPerSecond tokens added per second
 */
public record BucketSpec(int capacity, double refillPerSecond) {

    /** RunInstances: 5, refilled 2 per second. */
    public static final BucketSpec RUN_INSTANCES = new BucketSpec(5, 2);
    /** TerminateInstances: 100, refilled 5 per second. */
    public static final BucketSpec TERMINATE_INSTANCES = new BucketSpec(100, 5);
    /** Other mutating actions: 50, refilled 5 per second. */
    public static final BucketSpec MUTATING = new BucketSpec(50, 5);
    /** DescribeInstances: 50, refilled 10 per second (the unfiltered rate, the stricter one). */
    public static final BucketSpec DESCRIBE_INSTANCES = new BucketSpec(50, 10);
    /** Other non-mutating actions (Describe*): 100, refilled 20 per second. */
    public static final BucketSpec NON_MUTATING = new BucketSpec(100, 20);

    public BucketSpec {
        if (capacity < 1 || refillPerSecond <= 0) {
            throw new IllegalArgumentException("capacity >= 1 and refillPerSecond > 0");
        }
    }

    /** EC2's bucket for {@code action}. */
    public static BucketSpec forAction(String action) {
        return switch (action) {
            case "RunInstances" -> RUN_INSTANCES;
            case "TerminateInstances" -> TERMINATE_INSTANCES;
            case "DescribeInstances" -> DESCRIBE_INSTANCES;
            default -> action.startsWith("Describe") ? NON_MUTATING : MUTATING;
        };
    }
}
