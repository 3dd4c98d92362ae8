package io.k0rdent.ops.sandbox.ec2;

import java.time.Duration;
import java.util.Objects;

/**
 * How strictly the emulator behaves like the real EC2 API.
 *
 * @param validateModel       check every request against AWS's published model (botocore's {@code service-2.json},
 *                            see {@code aws-model/README.md}) and refuse what EC2 refuses: {@code MissingParameter},
 *                            {@code InvalidParameterValue}, {@code InvalidAction} (not {@code UnknownParameter}: the
 *                            model is older than the SDK, whose newer members EC2 accepts)
 * @param consistencyWindow   how long after its creation a resource is still unknown to calls that name it by ID
 *                            ({@code Invalid*.NotFound}), as AWS documents for the EC2 API's eventual consistency;
 *                            zero turns it off
 */
public record ApiStrictness(boolean validateModel, Duration consistencyWindow) {

    public ApiStrictness {
        Objects.requireNonNull(consistencyWindow, "consistencyWindow");
        if (consistencyWindow.isNegative()) {
            throw new IllegalArgumentException("consistencyWindow must not be negative");
        }
    }

    /** The model is enforced, a new resource is visible at once: the default, and what most tests want. */
    public static ApiStrictness modelOnly() {
        return new ApiStrictness(true, Duration.ZERO);
    }

    /**
     * For {@code k0ops up} and the end-to-end tests: the model, and a short window of invisibility after every
     * create, long enough that a caller which does not retry {@code Invalid*.NotFound} fails.
     */
    public static ApiStrictness sandbox() {
        return new ApiStrictness(true, Duration.ofMillis(300));
    }

    /** Only for a test that has to send a request outside AWS's model on purpose. */
    public static ApiStrictness lenient() {
        return new ApiStrictness(false, Duration.ZERO);
    }

    public ApiStrictness withConsistencyWindow(Duration window) {
        return new ApiStrictness(validateModel, window);
    }
}
