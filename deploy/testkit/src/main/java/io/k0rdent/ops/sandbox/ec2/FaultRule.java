package io.k0rdent.ops.sandbox.ec2;

import java.util.Objects;

/**
 * An injected failure: answer calls of {@code action} with {@code errorCode}.
 *
 * @param action      the EC2 action, or {@code "*"} for every action
 * @param errorCode   the AWS error code to return, e.g. {@code RequestLimitExceeded} or {@code InternalError}
 * @param httpStatus  the HTTP status of the error (503 for throttling, 500 for server faults, 400 for client errors)
 * @param nthCall     fail exactly the n-th call (1-based) of the action; 0 when {@code percent} is used
 * @param percent     fail this share of calls (0..100), decided by the emulator's seeded random
 * @param afterEffect apply the call's effect first and then fail, like a response lost on the way back
 */
public record FaultRule(String action, String errorCode, int httpStatus, int nthCall, double percent,
                        boolean afterEffect) {

    public FaultRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(errorCode, "errorCode");
        if (nthCall < 0 || percent < 0 || percent > 100) {
            throw new IllegalArgumentException("nthCall >= 0 and 0 <= percent <= 100");
        }
    }

    /** Fails the n-th call of {@code action} (1-based) with {@code errorCode}. */
    public static FaultRule onNthCall(String action, int n, String errorCode, int httpStatus) {
        return new FaultRule(action, errorCode, httpStatus, n, 0, false);
    }

    /** Fails {@code percent} % of the calls of {@code action} ({@code "*"}: all actions). */
    public static FaultRule onPercent(String action, double percent, String errorCode, int httpStatus) {
        return new FaultRule(action, errorCode, httpStatus, 0, percent, false);
    }

    /** {@code RequestLimitExceeded} (503) on {@code percent} % of every action's calls. */
    public static FaultRule throttle(double percent) {
        return onPercent("*", percent, "RequestLimitExceeded", 503);
    }

    /** The same rule, but the call takes effect before the error is returned (a lost response). */
    public FaultRule withEffectApplied() {
        return new FaultRule(action, errorCode, httpStatus, nthCall, percent, true);
    }

    boolean appliesTo(String candidate) {
        return action.equals("*") || action.equals(candidate);
    }
}
