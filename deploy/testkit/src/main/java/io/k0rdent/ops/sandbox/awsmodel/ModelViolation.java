package io.k0rdent.ops.sandbox.awsmodel;

/**
 * Why a request falls outside the service's model. Each emulator turns the kind into its own service's error code
 * (EC2: {@code MissingParameter}, {@code InvalidParameterValue}, {@code UnknownParameter}, {@code InvalidAction};
 * ELBv2: {@code ValidationError}).
 *
 * @param parameter the wire name of the offending parameter, e.g. {@code MaxResults} or {@code Filter.1.Name}
 * @param message   what AWS would say, with the parameter and the constraint
 */
public record ModelViolation(Kind kind, String parameter, String message) {

    public enum Kind {
        /** The operation is not in the model. */
        UNKNOWN_ACTION,
        /** A member the model marks required is absent. */
        MISSING_PARAMETER,
        /** A parameter the input shape does not have. */
        UNKNOWN_PARAMETER,
        /** A value of the wrong type, outside its range or length, not in its enum, or a list of the wrong size. */
        INVALID_VALUE
    }
}
