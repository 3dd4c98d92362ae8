package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How every EC2 call of one region's gateways is made: SDK exceptions become typed {@link Ec2Failure}s naming the
 * resource, and a call naming a resource created moments ago is repeated on {@code Invalid*.NotFound} (see
 * {@link EventualConsistencyRetry}).
 */
final class Ec2Calls {

    private final EventualConsistencyRetry consistency;

    Ec2Calls(EventualConsistencyRetry consistency) {
        this.consistency = consistency;
    }

    /** Remembers {@code id} as just created; answers it. */
    String created(String id) {
        consistency.created(id);
        return id;
    }

    /** A call naming resources this gateway may have created moments ago. */
    <T> T call(String resource, List<String> names, Supplier<T> action) {
        return call(resource, () -> consistency.call(names, action));
    }

    static <T> T call(String resource, Supplier<T> action) {
        try {
            return action.get();
        } catch (Ec2Failure e) {
            throw e;
        } catch (SdkException e) {
            if (e.getMessage() != null && e.getMessage().contains("exceeded the max retry attempts")) {
                throw new Ec2Failure(FailureReason.TIMEOUT, null, resource, e.getMessage(), true, e);
            }
            throw AwsErrors.classify(e, resource);
        }
    }
}
