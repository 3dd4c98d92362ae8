package io.k0rdent.ops.sandbox.ec2;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One EC2 API call the emulator received.
 *
 * @param sequence     1-based order of arrival
 * @param at           when it arrived
 * @param action       the EC2 action
 * @param params       the form parameters, without {@code Action} and {@code Version}
 * @param httpStatus   the status of the answer
 * @param errorCode    the AWS error code, or {@code null} on success
 * @param createdIds   ids of resources this call created (RunInstances: only newly launched instances, not the
 *                     ones returned again for a repeated ClientToken)
 */
public record AuditEntry(long sequence, Instant at, String action, Map<String, String> params, int httpStatus,
                         String errorCode, List<String> createdIds) {

    public AuditEntry {
        params = Map.copyOf(params);
        createdIds = List.copyOf(createdIds);
    }

    public boolean succeeded() {
        return errorCode == null;
    }

    /** The value of the tag {@code key} in the call's {@code TagSpecification.N} for {@code resourceType}, if any. */
    public String tagSpecValue(String resourceType, String key) {
        for (int spec = 1; params.containsKey("TagSpecification." + spec + ".ResourceType"); spec++) {
            if (!resourceType.equals(params.get("TagSpecification." + spec + ".ResourceType"))) {
                continue;
            }
            for (int tag = 1; params.containsKey("TagSpecification." + spec + ".Tag." + tag + ".Key"); tag++) {
                if (key.equals(params.get("TagSpecification." + spec + ".Tag." + tag + ".Key"))) {
                    return params.get("TagSpecification." + spec + ".Tag." + tag + ".Value");
                }
            }
        }
        return null;
    }
}
